import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { testContext } from '../helpers/context.js';
import { relmgr, useRepos } from '../helpers/repo.js';

const repo = useRepos(afterEach);

const parse = (stdout: string): { error: Record<string, unknown> } => JSON.parse(stdout) as { error: Record<string, unknown> };

describe('errors under --json', () => {
  it('is one JSON document on stdout with the exit code of the error', () => {
    const r = repo({ init: false });
    const out = relmgr(r, ['next', '--json']);
    expect(out.code).toBe(3);
    expect(parse(out.stdout)).toEqual({
      error: { code: 'E_NOT_GIT_REPO', message: expect.stringContaining('is not inside a git repository'), hint: expect.stringContaining('git init'), details: [] },
    });
    expect(out.stderr).toMatch(/^error\[E_NOT_GIT_REPO\]: /);
  });

  it.each([
    [['next', '--json', '--bogus'], "unknown option '--bogus'"],
    [['--json', 'deploy-everything'], "unknown command 'deploy-everything'"],
    [['next', '--json', '--track', 'sideways'], "option '--track <track>' argument 'sideways' is invalid"],
  ])('makes a usage error of commander E_USAGE, exit 2: %j', (args, message) => {
    const out = relmgr(repo(), args);
    expect(out.code).toBe(2);
    expect(parse(out.stdout).error).toMatchObject({ code: 'E_USAGE', message: expect.stringContaining(message), hint: 'relmgr --help lists every command; relmgr <command> --help its options', details: [] });
    expect(out.stderr).toContain(`error[E_USAGE]: ${message}`);
  });

  it.each([[['--json']], [['help', 'nxt', '--json']]])('says what was wrong when no command is given: %j', (args) => {
    const out = relmgr(repo(), args);
    expect(out.code).toBe(2);
    expect(parse(out.stdout).error).toMatchObject({ code: 'E_USAGE', message: 'no command given (or help asked for an unknown one): relmgr <command>' });
  });

  it('keeps stdout empty for a usage error without --json', () => {
    const out = relmgr(repo(), ['next', '--bogus']);
    expect(out).toMatchObject({ code: 2, stdout: '' });
    expect(out.stderr).toMatch(/^error\[E_USAGE\]: unknown option '--bogus'/);
  });

  it('reports an unexpected error as E_INTERNAL, exit 1', async () => {
    const r = repo();
    const ctx = testContext(r.dir, r.env, {
      git: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'x')");
      },
    });
    expect(await main(['next', '--json'], ctx)).toBe(1);
    expect(parse(ctx.stdout.text).error).toMatchObject({ code: 'E_INTERNAL', message: "Cannot read properties of undefined (reading 'x')", hint: expect.stringContaining('bug') });
    expect(ctx.stderr.text).toMatch(/^internal error\[E_INTERNAL\]: Cannot read/);
  });
});
