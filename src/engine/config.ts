import { join, relative, resolve } from 'node:path';
import type { FsPort } from '../adapters/fs.js';
import type { GitPort, RepoInfo } from '../adapters/git.js';
import type { Config } from '../core/config/schema.js';
import type { Problem } from '../core/config/problems.js';
import { defaultSettings, type Settings } from '../core/settings.js';
import { UsageError } from '../errors.js';

export const CONFIG_NAMES = ['release.config.yaml', 'release.config.yml'] as const;

export interface LoadedConfig {
  /** Absolute path of the file, or null when there is none. */
  path: string | null;
  /** The path as shown in messages (relative to the working directory). */
  shown: string | null;
  config: Config | null;
  problems: Problem[];
  /** Where a key path's value is written in the file (for checks made after parsing). */
  position?: ((path: readonly (string | number)[]) => { line: number; col: number }) | undefined;
}

/** Finds the config: `-c <file>` (relative to the working directory), else the repository root's. */
export async function findConfig(fs: FsPort, cwd: string, root: string, explicit: string | undefined): Promise<{ path: string; text: string } | null> {
  if (explicit !== undefined) {
    const path = resolve(cwd, explicit);
    const text = await fs.readText(path);
    if (text === undefined) {
      throw new UsageError('E_CONFIG_MISSING', `config file ${explicit} does not exist`, { hint: 'check the -c/--config path, or create one with: relmgr init' });
    }
    return { path, text };
  }
  for (const name of CONFIG_NAMES) {
    const path = join(root, name);
    const text = await fs.readText(path);
    if (text !== undefined) return { path, text };
  }
  return null;
}

/** Reads and validates the config. The parser (zod, yaml) loads only when there is a file. */
export async function readConfig(fs: FsPort, cwd: string, root: string, explicit: string | undefined): Promise<LoadedConfig> {
  const found = await findConfig(fs, cwd, root, explicit);
  if (found === null) return { path: null, shown: null, config: null, problems: [] };
  const shown = relative(cwd, found.path) || found.path;
  const { parseConfig } = await import('../core/config/load.js');
  const { config, problems, position } = parseConfig(found.text, shown.startsWith('..') ? found.path : shown);
  return { path: found.path, shown, config, problems, position };
}

/** A config with errors stops every command that needs it, with the messages `validate` prints. */
export function configError(loaded: LoadedConfig, formatted: string[]): UsageError {
  const count = loaded.problems.filter((p) => p.severity === 'error').length;
  return new UsageError('E_CONFIG', `${loaded.shown ?? 'the config'} has ${count} problem${count === 1 ? '' : 's'}:`, {
    details: formatted,
    hint: `fix them and check with: relmgr validate${loaded.shown && !CONFIG_NAMES.includes(loaded.shown as (typeof CONFIG_NAMES)[number]) ? ` -c ${loaded.shown}` : ''}`,
  });
}

/** Built-in defaults < the file (flags are applied by each command on top). */
export function settingsFrom(config: Config | null): Settings {
  const settings = defaultSettings();
  if (config === null) return settings;
  return {
    project: config.project ?? null,
    versioning: {
      tag: config.versioning.tag,
      initial: config.versioning.initial,
      initialDevelopment: config.versioning.initialDevelopment,
      types: config.versioning.types,
      prereleaseBranches: Object.fromEntries(
        config.versioning.branches.flatMap((b) => (typeof b === 'object' && b.prerelease ? [[b.name, b.prerelease]] : [])),
      ),
      emergencyPrerelease: config.tracks.emergency?.prerelease ?? null,
      versionFile: config.versioning.files[0] ?? null,
      versionFiles: config.versioning.files,
    },
    changelog: {
      file: config.changelog.file,
      template: config.changelog.template ?? null,
      urls: config.changelog.urls ?? null,
    },
  };
}

/** A command's working directory, repository and release config, with the settings they make. */
export interface Prepared {
  cwd: string;
  git: GitPort;
  info: RepoInfo;
  loaded: LoadedConfig;
  settings: Settings;
}
