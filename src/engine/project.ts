import { basename, join } from 'node:path';
import type { FsPort } from '../adapters/fs.js';
import { repoLinks, type RepoLinks } from '../core/remote.js';
import type { GitPort } from '../adapters/git.js';

/** The project's name: the config's, else package.json's, else the repository folder's. */
export async function projectName(fs: FsPort, root: string, configured: string | null): Promise<string> {
  if (configured) return configured;
  const text = await fs.readText(join(root, 'package.json'));
  if (text !== undefined) {
    try {
      const name = (JSON.parse(text) as { name?: unknown }).name;
      if (typeof name === 'string' && name !== '') return name;
    } catch {
      // An unparseable package.json is not this command's business.
    }
  }
  return basename(root);
}

export async function links(git: GitPort): Promise<RepoLinks | null> {
  return repoLinks(await git.remoteUrl('origin'));
}
