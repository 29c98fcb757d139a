import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { relmgr, useRepos } from '../helpers/repo.js';

const repo = useRepos(afterEach);

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('the command line', () => {
  it.each([['--version'], ['-V']])('%s prints the version', (flag) => {
    expect(relmgr(repo(), [flag])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('--help lists every command on stdout', () => {
    const out = relmgr(repo(), ['--help']);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    for (const command of ['next', 'changelog', 'init', 'validate']) expect(out.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(relmgr(repo(), ['next', '--help']).stdout).toContain('--release-as <version>');
    expect(relmgr(repo(), ['help', 'changelog']).stdout).toContain('--write [file]');
  });

  it('exits 2 on an unknown command, and with usage when given none', () => {
    const unknown = relmgr(repo(), ['deploy-everything']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/unknown command 'deploy-everything'/);
    const none = relmgr(repo(), []);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: relmgr');
  });

  it('never colours output without a TTY, and never with NO_COLOR', () => {
    const r = repo();
    const out = relmgr(r, ['next'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(out.stderr).not.toContain('\x1b[');
    const forced = relmgr(r, ['next'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stderr).toContain('\x1b[31merror[E_NO_COMMITS]:');
    expect(relmgr(r, ['next', '--no-color'], { env: { FORCE_COLOR: '1' } }).stderr).not.toContain('\x1b[');
  });
});
