import type { BumpLevel } from './bump.js';
import { DEFAULT_TAG_TEMPLATE } from './tags.js';
import type { InitialDevelopment } from './version.js';
import type { VersionFileSpec } from './version-files.js';

/** The settings the version engine and the documents read; built-in defaults < file < flags. */
export interface VersioningSettings {
  tag: string;
  initial: string;
  /** While the major version is 0: what a breaking change and what a feature bump. */
  initialDevelopment: InitialDevelopment;
  types: Record<string, BumpLevel>;
  /** Branches whose releases are pre-releases: branch name → pre-release id. */
  prereleaseBranches: Record<string, string>;
  /** The pre-release id of the emergency track, if it has one. */
  emergencyPrerelease: string | null;
  /** The first of `versioning.files`: where the current version is read when there is no release tag. */
  versionFile: VersionFileSpec | null;
  /** Every entry of `versioning.files`: `next` warns when one holds a version above the one it proposes. */
  versionFiles: VersionFileSpec[];
  /** No config: the project's version is found in package.json, Cargo.toml, pyproject.toml or VERSION. */
  detectVersionFile?: boolean;
}

export interface ChangelogSettings {
  file: string;
  /** Custom Handlebars template for a changelog section, relative to the repository root. */
  template: string | null;
  /** Link formats that override the ones derived from the remote URL. */
  urls: { commit?: string | undefined; issue?: string | undefined; compare?: string | undefined } | null;
}

export interface Settings {
  project: string | null;
  versioning: VersioningSettings;
  changelog: ChangelogSettings;
}

export function defaultSettings(): Settings {
  return {
    project: null,
    versioning: {
      tag: DEFAULT_TAG_TEMPLATE,
      initial: '0.1.0',
      initialDevelopment: { breaking: 'minor', feature: 'minor' },
      types: {},
      prereleaseBranches: {},
      emergencyPrerelease: null,
      versionFile: 'package.json',
      versionFiles: ['package.json'],
      detectVersionFile: true,
    },
    changelog: { file: 'CHANGELOG.md', template: null, urls: null },
  };
}
