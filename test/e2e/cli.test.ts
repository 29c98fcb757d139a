import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, relmgr, run, useRepos } from '../helpers/repo.js';

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
    for (const command of ['approve', 'reject', 'attest']) expect(out.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect((await run(repo(), ['approve', '--help'])).stdout).toMatch(/--env <env>[\s\S]*--gate <id>/);
    expect((await run(repo(), ['attest', '--help'])).stdout).toMatch(/--checklist <id>[\s\S]*--no /);
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

  // The other tests run main() in-process: this one keeps the process contract (exit status, stdout and
  // stderr as real pipes) of the commands no other test spawns (plan, cut, test, resume and status run
  // spawned in github-actions-recipe, init in init-pty, cut and test again in lifecycle).
  it('the commands spawned nowhere else, spawned: their exit status and streams', async () => {
    const r = makeProject(repo, 'schema: relmgr/v1\nphases:\n  build:\n    steps: [ { name: compile, run: "true" } ]\n');
    const step = (args: string[], code: number, stdout: RegExp, stderr: RegExp = /^$/) => {
      const out = relmgr(r, args);
      expect(out.code, `${args.join(' ')}: ${out.stderr}`).toBe(code);
      expect(out.stdout, args.join(' ')).toMatch(stdout);
      expect(out.stderr, args.join(' ')).toMatch(stderr);
    };
    step(['next'], 0, /^1\.0\.1\n$/);
    step(['changelog'], 0, /^## 1\.0\.1 /m);
    step(['validate'], 0, /^$/, /.*/);
    expect((await run(r, ['plan'])).code).toBe(0);
    step(['notes'], 0, /^# demo 1\.0\.1\n/);
    expect((await run(r, ['cut', '--no-push'])).code).toBe(0);
    step(['push'], 0, /pushed|Pushed/, /.*/);
    step(['ledger', 'sync'], 0, /.*/, /.*/);
    step(['ledger', 'log'], 0, /release\.planned/);
    step(['approve', '--help'], 0, /^Usage: relmgr approve \[options\]/);
    step(['approve'], 3, /^$/, /^error\[E_NOTHING_TO_DECIDE\]: the release config has no approval gates here to decide\nhint: relmgr status\n$/);
    step(['abort', '--reason', 'smoke'], 0, /^Abandoned 1\.0\.1: smoke\./, /.*/);
  });
});
