import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, run, useRepos } from '../helpers/repo.js';

const repo = useRepos(afterEach);
const GH = `ghp_${'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'}`;

describe('secrets at the output boundary', () => {
  it('masks a secret variable (wider names) in an error, in text and in JSON', async () => {
    const r = makeProject(repo);
    const out = await run(r, ['next', '-c', 'sess-0123456789.yaml', '--json'], { env: { APP_SESSION: 'sess-0123456789' } });
    expect(out.code).toBe(2);
    expect(out.stdout + out.stderr).not.toContain('sess-0123456789');
    expect(JSON.parse(out.stdout).error.message).toBe('config file ***.yaml does not exist');
    expect(out.stderr).toContain('error[E_CONFIG_MISSING]: config file ***.yaml does not exist');
  });

  it('masks a URL-encoded secret', async () => {
    const r = makeProject(repo);
    const out = await run(r, ['next', '-c', 'p%40ss%2Fword.yaml'], { env: { DB_PASSWORD: 'p@ss/word' } });
    expect(out.stderr).toContain('config file ***.yaml does not exist');
  });

  it('masks token shapes with no variable at all: in commit messages, documents and the ledger', async () => {
    const r = makeProject(repo);
    r.commit(`fix: stop logging ${GH}`, { file: 'b.txt' });
    const changelog = await run(r, ['changelog']);
    expect(changelog.stdout).toContain('stop logging ***');
    expect(changelog.stdout).not.toContain(GH);
    const plan = await run(r, ['plan', '--reason', `leaked ${GH}`]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).not.toContain(GH);
    expect(r.git('log', '-p', 'relmgr/ledger')).not.toContain(GH);
  });

  it('masks the variables the config lists (redact.env) in output, step logs and the ledger', async () => {
    const config = [
      'schema: relmgr/v1',
      'redact:',
      '  env: [DEPLOY_HOOK]',
      'phases:',
      '  build:',
      '    steps: [ { name: "call hook-value-0042", run: "echo calling $DEPLOY_HOOK; exit 1" } ]',
      '',
    ].join('\n');
    const r = makeProject(repo, config);
    const env = { DEPLOY_HOOK: 'hook-value-0042' };
    expect((await run(r, ['plan'], { env })).code).toBe(0);
    const cut = await run(r, ['cut', '--no-push'], { env });
    expect(cut.code).toBe(20);
    expect(cut.stderr).toContain('calling ***');
    expect(cut.stdout + cut.stderr).not.toContain('hook-value-0042');
    const logs = join(r.dir, '.relmgr', 'logs', '1.0.1', 'build');
    const logText = readdirSync(logs)
      .filter((f) => f.endsWith('.log'))
      .map((f) => readFileSync(join(logs, f), 'utf8'))
      .join('');
    expect(logText).toContain('calling ***');
    expect(logText).not.toContain('hook-value-0042');
    const ledger = r.git('log', '-p', 'relmgr/ledger');
    expect(ledger).toContain('call ***');
    expect(ledger).not.toContain('hook-value-0042');
    const status = await run(r, ['status', '--json'], { env });
    expect(status.stdout).not.toContain('hook-value-0042');
  });
});
