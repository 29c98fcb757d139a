import * as fsPromises from 'node:fs/promises';
import { dirname } from 'node:path';
import { PreconditionError } from '../errors.js';

export interface FsPort {
  /** The file's text, or undefined when it does not exist. */
  readText(path: string): Promise<string | undefined>;
  /** Writes through a temporary file and a rename, so a reader never sees half a file. */
  writeTextAtomic(path: string, text: string): Promise<void>;
  /** Removes a file; a missing one is fine. */
  remove(path: string): Promise<void>;
}

const code = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

/** What the file system refused, as an error for people: the path, why, and what to check. */
function unreadable(path: string, error: unknown): never {
  const why = code(error) === 'EISDIR' ? 'it is a directory, not a file' : code(error) === 'EACCES' || code(error) === 'EPERM' ? 'permission denied' : String(code(error) ?? error);
  throw new PreconditionError('E_UNREADABLE', `cannot read ${path}: ${why}`, {
    hint: code(error) === 'EISDIR' ? 'name the file itself (for -c/--config, --template or in the config)' : `check its permissions (ls -l ${path}), then run the command again`,
    cause: error,
  });
}

export function unwritable(path: string, error: unknown): never {
  const c = code(error);
  const why = c === 'EISDIR' ? 'it is a directory' : c === 'EROFS' ? 'the file system is read-only' : c === 'ENOTDIR' ? 'a parent is not a directory' : c === 'ENOENT' ? 'its directory does not exist' : 'permission denied';
  throw new PreconditionError('E_UNWRITABLE', `cannot write ${path}: ${why}`, {
    hint: `check the path and its permissions (ls -ld ${dirname(path)}), then run the command again`,
    cause: error,
  });
}

const REFUSED = new Set(['EACCES', 'EPERM', 'EISDIR', 'EROFS', 'ENOTDIR', 'ELOOP']);

/** Appends to a file (CI output files); a refusal is E_UNWRITABLE naming the file. */
export async function appendText(path: string, text: string, { appendFile } = fsPromises): Promise<void> {
  try {
    await appendFile(path, text, 'utf8');
  } catch (error) {
    if (REFUSED.has(code(error) ?? '') || code(error) === 'ENOENT') unwritable(path, error);
    throw error;
  }
}

/** The file-system calls the port makes (injectable, so tests can make them fail). */
export type FsCalls = Pick<typeof fsPromises, 'mkdir' | 'readFile' | 'rename' | 'rm' | 'writeFile'>;

/** The port over real file-system calls. */
export const createFs = ({ mkdir, readFile, rename, rm, writeFile }: FsCalls = fsPromises): FsPort => ({
  async readText(path) {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      // A missing file (or a path through a file: a/b where a is a file) is "not there".
      if (code(error) === 'ENOENT' || code(error) === 'ENOTDIR') return undefined;
      if (REFUSED.has(code(error) ?? '')) unreadable(path, error);
      throw error;
    }
  },
  async remove(path) {
    await rm(path, { force: true });
  },
  async writeTextAtomic(path, text) {
    const tmp = `${path}.relmgr-${process.pid}-${Date.now()}.tmp`;
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(tmp, text, 'utf8');
      await rename(tmp, path);
    } catch (error) {
      await rm(tmp, { force: true }).catch(() => undefined);
      if (REFUSED.has(code(error) ?? '') || code(error) === 'EEXIST') unwritable(path, error);
      throw error;
    }
  },
});

export const nodeFs: FsPort = createFs();
