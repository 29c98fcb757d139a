import { readVersion, type VersionFileSpec } from './version-files.js';

/**
 * Where a project keeps its own version, in the order relmgr looks without a config: package.json,
 * Cargo.toml, pyproject.toml, then a VERSION file. `relmgr init` lists those that exist.
 */
export const PROJECT_VERSION_FILES = ['package.json', 'Cargo.toml', 'pyproject.toml', 'VERSION'] as const;

const LOCATORS: Readonly<Record<string, readonly VersionFileSpec[]>> = {
  'package.json': ['package.json'],
  'Cargo.toml': [
    { path: 'Cargo.toml', toml: 'package.version' },
    { path: 'Cargo.toml', toml: 'workspace.package.version' },
  ],
  'pyproject.toml': [
    { path: 'pyproject.toml', toml: 'project.version' },
    { path: 'pyproject.toml', toml: 'tool.poetry.version' },
  ],
  VERSION: ['VERSION'],
};

/** The `versioning.files` entry that reads the version of one of PROJECT_VERSION_FILES, or null when it holds none. Pure. */
export function projectFileSpec(path: string, text: string): VersionFileSpec | null {
  for (const spec of LOCATORS[path] ?? []) {
    try {
      if (readVersion(spec, text)?.trim()) return spec;
    } catch {
      // A file that does not parse holds no version relmgr can read.
    }
  }
  return null;
}
