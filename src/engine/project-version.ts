import { join } from 'node:path';
import { valid } from 'semver';
import type { FsPort } from '../adapters/fs.js';
import type { VersionFileSpec } from '../core/version-files.js';

/**
 * The project's own version, for a repository without release tags (as release-it and changesets
 * read it): package.json's `version`, else the one in the first `versioning.files` entry. Only a
 * stable semantic version counts — placeholders such as semantic-release's `0.0.0-development`
 * mean "no version". Read only when there is no release tag, so `relmgr next` pays nothing for it.
 */
export async function projectVersion(fs: FsPort, root: string, first: VersionFileSpec | null): Promise<{ version: string; source: string } | null> {
  const pkg = await fs.readText(join(root, 'package.json'));
  if (pkg !== undefined) {
    try {
      const version = (JSON.parse(pkg) as { version?: unknown }).version;
      if (typeof version === 'string' && isStable(version)) return { version, source: 'package.json' };
    } catch {
      // An unparseable package.json has no version to offer.
    }
  }
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

function isStable(version: string): boolean {
  return valid(version) === version && !version.includes('-');
}
