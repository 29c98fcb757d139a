import { join } from 'node:path';
import { gt, valid } from 'semver';
import type { FsPort } from '../adapters/fs.js';
import type { VersionFileSpec } from '../core/version-files.js';

export interface ProjectVersion {
  version: string;
  source: string;
}

/**
 * The project's own version (as release-it and changesets read it): package.json's `version`, else
 * the one in the first `versioning.files` entry — or, with no config (`detect`), the first of
 * Cargo.toml (`package.version`), pyproject.toml (`project.version`, `tool.poetry.version`) and
 * VERSION that holds one. Only a stable semantic version counts — placeholders such as
 * semantic-release's `0.0.0-development` mean "no version". An npm project pays one file read.
 */
export async function projectVersion(fs: FsPort, root: string, first: VersionFileSpec | null, detect = false): Promise<ProjectVersion | null> {
  const pkg = await fs.readText(join(root, 'package.json'));
  if (pkg !== undefined) {
    try {
      const version = (JSON.parse(pkg) as { version?: unknown }).version;
      if (typeof version === 'string' && isStable(version)) return { version, source: 'package.json' };
    } catch {
      // An unparseable package.json has no version to offer.
    }
  }
  if (detect) return detectedVersion(fs, root);
  if (first === null || first === 'package.json') return null;
  const { readVersion, versionFilePath } = await import('../core/version-files.js');
  const path = versionFilePath(first);
  const text = await fs.readText(join(root, path));
  if (text === undefined) return null;
  try {
    const version = readVersion(first, text)?.trim() ?? null;
    return version !== null && isStable(version) ? { version, source: path } : null;
  } catch {
    return null;
  }
}

/**
 * The version files holding a version above `version` — the ones `plan` would refuse to write
 * downward (pre-releases count). package.json is parsed as JSON; the version-file parsers load only
 * for other files (a project that lists them already loads them to read its first one).
 */
export async function versionFilesAbove(fs: FsPort, root: string, files: readonly VersionFileSpec[], version: string): Promise<ProjectVersion[]> {
  const above: ProjectVersion[] = [];
  for (const spec of files) {
    const path = spec === 'package.json' ? spec : (await import('../core/version-files.js')).versionFilePath(spec);
    const text = await fs.readText(join(root, path));
    if (text === undefined) continue;
    try {
      const read = spec === 'package.json' ? (JSON.parse(text) as { version?: unknown }).version : (await import('../core/version-files.js')).readVersion(spec, text);
      const current = typeof read === 'string' ? read.trim() : null;
      if (current !== null && valid(current) === current && gt(current, version)) above.push({ version: current, source: path });
    } catch {
      // A file relmgr cannot read is reported by plan, not by next.
    }
  }
  return above;
}

/** Without a config: Cargo.toml, else pyproject.toml, else VERSION (package.json was read first). */
async function detectedVersion(fs: FsPort, root: string): Promise<ProjectVersion | null> {
  for (const path of ['Cargo.toml', 'pyproject.toml', 'VERSION']) {
    const text = await fs.readText(join(root, path));
    if (text === undefined) continue;
    // The parsers load only when such a file exists.
    const { projectFileSpec } = await import('../core/version-sources.js');
    const { readVersion } = await import('../core/version-files.js');
    const spec = projectFileSpec(path, text);
    if (spec === null) continue;
    const version = readVersion(spec, text)?.trim() ?? '';
    return isStable(version) ? { version, source: path } : null;
  }
  return null;
}

function isStable(version: string): boolean {
  return valid(version) === version && !version.includes('-');
}
