import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, relmgr, run, useRepos, type TestRepo } from '../helpers/repo.js';

const repo = useRepos(afterEach);

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('the command line', () => {
  it.each([['--version'], ['-V']])('%s prints the version', async (flag) => {
    expect(await run(repo(), [flag])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('--help lists every command on stdout', async () => {
    const out = await run(repo(), ['--help']);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    for (const command of ['next', 'changelog', 'init', 'validate']) expect(out.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect((await run(repo(), ['next', '--help'])).stdout).toContain('--release-as <version>');
    expect((await run(repo(), ['help', 'changelog'])).stdout).toContain('--write [file]');
  });

  it('exits 2 on an unknown command, and with usage when given none', async () => {
    const unknown = await run(repo(), ['deploy-everything']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/unknown command 'deploy-everything'/);
    const none = await run(repo(), []);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: relmgr');
  });

  it('never colours output without a TTY, and never with NO_COLOR', async () => {
    const r = repo();
    const out = await run(r, ['next'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(out.stderr).not.toContain('\x1b[');
    const forced = await run(r, ['next'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stderr).toContain('\x1b[31merror[E_NO_COMMITS]:');
    expect((await run(r, ['next', '--no-color'], { env: { FORCE_COLOR: '1' } })).stderr).not.toContain('\x1b[');
  });

  // The other tests run main() in-process: this one keeps every command's process contract (exit
  // status, stdout and stderr as real pipes) covered by the binary itself.
  it('every command, spawned: its exit status and streams', () => {
    const r = makeProject(repo, 'schema: relmgr/v1\nphases:\n  build:\n    steps: [ { name: compile, run: "true" } ]\n');
    const step = (args: string[], code: number, stdout: RegExp, stderr: RegExp = /^$/, where: TestRepo = r) => {
      const out = relmgr(where, args);
      expect(out.code, `${args.join(' ')}: ${out.stderr}`).toBe(code);
      expect(out.stdout, args.join(' ')).toMatch(stdout);
      expect(out.stderr, args.join(' ')).toMatch(stderr);
    };
    step(['next'], 0, /^1\.0\.1\n$/);
    step(['changelog'], 0, /^## 1\.0\.1 /m);
    const fresh = repo();
    fresh.commit('feat: first');
    step(['init', '--yes'], 0, /^$/, /release\.config\.yaml/, fresh);
    step(['validate'], 0, /^$/, /.*/);
    step(['plan'], 0, /^Planned demo 1\.0\.1 /);
    step(['notes'], 0, /^# demo 1\.0\.1\n/);
    step(['status'], 0, /^1\.0\.1 \(v1\.0\.1\): planned/);
    step(['resume'], 3, /^$/, /nothing to resume/);
    step(['cut', '--no-push'], 0, /^Cut 1\.0\.1: commit [0-9a-f]{7}, tag v1\.0\.1 \(not pushed\)\n/, /.*/);
    step(['push'], 0, /pushed|Pushed/, /.*/);
    step(['test'], 0, /^Tested 1\.0\.1/, /.*/);
    step(['ledger', 'sync'], 0, /.*/, /.*/);
    step(['ledger', 'log'], 0, /release\.planned/);
    step(['abort', '--reason', 'smoke'], 0, /^Abandoned 1\.0\.1: smoke\./, /.*/);
  });
});
