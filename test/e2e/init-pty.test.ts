import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasPty, relmgrInPty } from '../helpers/pty.js';
import { makeRepo, relmgr, type TestRepo } from '../helpers/repo.js';

const repos: TestRepo[] = [];
afterEach(() => repos.splice(0).forEach((r) => r.cleanup()));

describe.skipIf(!hasPty)('relmgr init on a real terminal', () => {
  it('asks the questions and writes the answers', () => {
    const r = makeRepo();
    repos.push(r);
    r.git('config', 'user.email', 'me@example.com');
    const script = [
      ['Project name', 'pty-app\r'],
      ['Release tag format', '\r'],
      ['Environments, in promotion order', '\x15qa, production\r'],
      ['Does production need an approval', 'y\r'],
      ['Who may approve?', '\x15ann@example.com, bo@example.com\r'],
    ];
    const result = relmgrInPty(script as [string, string][], ['init'], { cwd: r.dir, env: { ...r.env, CI: '', TERM: 'xterm' } });
    expect(result.waiting_for, result.output).toBeUndefined();
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('wrote release.config.yaml');
    const text = readFileSync(join(r.dir, 'release.config.yaml'), 'utf8');
    expect(text).toContain('project: pty-app');
    expect(text).toContain('tag: "v{version}"');
    expect(text).toContain('order: [qa, production]');
    expect(text).toContain('release-managers: [ann@example.com, bo@example.com]');
    expect(text).not.toContain('allow_self');
    expect(relmgr(r, ['validate']).code).toBe(0);
  });

  it('Ctrl-C at a question exits 130 and writes nothing', () => {
    const r = makeRepo();
    repos.push(r);
    const result = relmgrInPty([['Project name', '\x03']], ['init'], { cwd: r.dir, env: { ...r.env, CI: '' }, timeout: 60_000 });
    expect(result.code, result.output).toBe(130);
    expect(result.output).toContain('aborted: nothing was written');
    expect(result.output).toContain('run it again when you are ready: relmgr init');
    expect(existsSync(join(r.dir, 'release.config.yaml'))).toBe(false);
  });

  it('never prompts when CI is set, even on a terminal', () => {
    const r = makeRepo();
    repos.push(r);
    const result = relmgrInPty([], ['init'], { cwd: r.dir, env: { ...r.env, CI: 'true' }, timeout: 60_000 });
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toContain('Project name');
  });
});
