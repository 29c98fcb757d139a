import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface FsPort {
  /** The file's text, or undefined when it does not exist. */
  readText(path: string): Promise<string | undefined>;
  /** Writes through a temporary file and a rename, so a reader never sees half a file. */
  writeTextAtomic(path: string, text: string): Promise<void>;
  /** Removes a file; a missing one is fine. */
  remove(path: string): Promise<void>;
}

export const nodeFs: FsPort = {
  async readText(path) {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  },
  async remove(path) {
    await rm(path, { force: true });
  },
  async writeTextAtomic(path, text) {
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.relmgr-${process.pid}-${Date.now()}.tmp`;
    try {
      await writeFile(tmp, text, 'utf8');
      await rename(tmp, path);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  },
};
