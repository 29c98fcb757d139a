import { resolve } from 'node:path';
import type { Context } from '../context.js';
import type { Track } from '../core/version.js';
import { configError, readConfig, settingsFrom, type LoadedConfig, type Prepared } from './config.js';

export type { Prepared };
import { UsageError } from '../errors.js';

/** Options every command sees (program-level flags merged with its own). */
export interface GlobalOptions {
  cwd?: string;
  config?: string;
  json?: boolean;
  color?: boolean;
  verbose?: boolean;
}

/** The working directory for this run: `-C <dir>` relative to where relmgr was started. */
export function workDir(ctx: Context, options: GlobalOptions): string {
  return options.cwd ? resolve(ctx.cwd, options.cwd) : ctx.cwd;
}


/** The config's problems as `file:line:col  path  message` lines, in file order. */
export async function formatProblems(loaded: LoadedConfig): Promise<string[]> {
  if (loaded.problems.length === 0) return [];
  const { formatProblem } = await import('../core/config/problems.js');
  return loaded.problems.map(formatProblem);
}

/**
 * Opens the repository and its release config file: built-in defaults < the file < flags (each
 * command applies its flags). A config with errors stops the command (exit 2).
 */
export async function prepare(ctx: Context, options: GlobalOptions): Promise<Prepared> {
  const cwd = workDir(ctx, options);
  const git = await ctx.git(cwd);
  // Tags are listed while the repository is opened: two git processes at once, not one after the other.
  git.tags().catch(() => undefined);
  const info = await git.repoInfo();
  const loaded = await readConfig(ctx.fs, cwd, info.root, options.config);
  // Variables the config names as secret are masked from here on, in every output.
  if (loaded.config) ctx.secrets.addNames(loaded.config.redact.env);
  const lines = await formatProblems(loaded);
  if (loaded.problems.some((p) => p.severity === 'error')) throw configError(loaded, lines);
  for (const line of lines) ctx.stderr.write(`${line}\n`);
  return { cwd, git, info, loaded, settings: settingsFrom(loaded.config) };
}

export function parseTrack(value: string | undefined): Track | undefined {
  if (value === undefined) return undefined;
  if (value === 'normal' || value === 'emergency') return value;
  throw new UsageError('E_USAGE', `unknown track "${value}"`, { hint: 'use --track emergency (or leave it out for a normal release)' });
}
