import { describe, expect, it } from 'vitest';
import { createFs, type FsCalls } from '../../src/adapters/fs.js';

const failing = (code: string) => () => Promise.reject(Object.assign(new Error(`${code}: refused`), { code }));
const ok = () => Promise.resolve(undefined);
const calls = (overrides: Partial<Record<keyof FsCalls, () => Promise<unknown>>>): FsCalls =>
  ({ mkdir: ok, readFile: ok, rename: ok, rm: ok, writeFile: ok, ...overrides }) as unknown as FsCalls;

describe('the file system port', () => {
  it.each([
    ['EACCES', /permission denied/],
    ['EPERM', /permission denied/],
    ['EISDIR', /it is a directory, not a file/],
  ])('a read refused with %s is E_UNREADABLE (exit 3) naming the file', async (code, why) => {
    const fs = createFs(calls({ readFile: failing(code) }));
    await expect(fs.readText('/x/release.config.yaml')).rejects.toMatchObject({ code: 'E_UNREADABLE', exitCode: 3, message: expect.stringMatching(why) });
    await expect(fs.readText('/x/release.config.yaml')).rejects.toMatchObject({ message: expect.stringContaining('/x/release.config.yaml') });
  });

  it.each(['ENOENT', 'ENOTDIR'])('a file that is not there (%s) reads as undefined', async (code) => {
    expect(await createFs(calls({ readFile: failing(code) })).readText('/x/y')).toBeUndefined();
  });

  it.each([
    ['EACCES', 'writeFile', /permission denied/],
    ['EROFS', 'writeFile', /read-only/],
    ['EISDIR', 'rename', /is a directory/],
  ] as const)('a write refused with %s is E_UNWRITABLE (exit 3)', async (code, call, why) => {
    const fs = createFs(calls({ [call]: failing(code) }));
    await expect(fs.writeTextAtomic('/x/CHANGELOG.md', 'text')).rejects.toMatchObject({ code: 'E_UNWRITABLE', exitCode: 3, message: expect.stringMatching(why) });
  });

  it('passes on what it does not understand', async () => {
    await expect(createFs(calls({ readFile: failing('EIO') })).readText('/x')).rejects.toMatchObject({ code: 'EIO' });
  });
});
