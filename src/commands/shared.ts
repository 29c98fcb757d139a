import { resolve } from 'node:path';
import type { Context } from '../context.js';
import { defaultSettings, type Settings } from '../core/settings.js';
import type { Track } from '../core/version.js';
import { UsageError } from '../errors.js';

/** Options every command sees (program-level flags merged with its own). */
export interface GlobalOptions {
  cwd?: string;
  json?: boolean;
  color?: boolean;
  verbose?: boolean;
}

/** The working directory for this run: `-C <dir>` relative to where relmgr was started. */
export function workDir(ctx: Context, options: GlobalOptions): string {
  return options.cwd ? resolve(ctx.cwd, options.cwd) : ctx.cwd;
}

/** Built-in defaults; the release plan file (issue #3) will layer on top of these. */
export function loadSettings(): Settings {
  return defaultSettings();
}

export function parseTrack(value: string | undefined): Track | undefined {
  if (value === undefined) return undefined;
  if (value === 'normal' || value === 'emergency') return value;
  throw new UsageError('E_USAGE', `unknown track "${value}"`, { hint: 'use --track emergency (or leave it out for a normal release)' });
}
