import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BIN, makeProject, run, useRepos } from '../helpers/repo.js';

/*
 * Runs examples/github-actions-release.yml the way GitHub Actions would, without docker: each
 * `run:` step in order under bash (-eo pipefail), with GITHUB_OUTPUT and GITHUB_ENV files, the
 * `${{ … }}` expressions it uses substituted, and each step's `if:` evaluated (an `if:` without a
 * status function means `success() && …`). `uses:` steps are what the test does itself: the
 * checkout is a fresh clone of the bare remote, and `npx relmgr` is this build of relmgr.
 */
const RECIPE = resolve(import.meta.dirname, '../../examples/github-actions-release.yml');

interface WorkflowStep {
  id?: string;
  if?: string;
  run?: string;
  uses?: string;
}

interface WorkflowRun {
  failed: boolean;
  ran: string[];
  outputs: Record<string, Record<string, string>>;
  log: string;
}

type Scope = { outputs: WorkflowRun['outputs']; failed: boolean; sha: string };

function value(term: string, scope: Scope): string | boolean {
  const t = term.trim();
  if (t === 'failure()') return scope.failed;
  if (t === 'success()') return !scope.failed;
  if (t === 'always()') return true;
  if (t === 'github.sha') return scope.sha;
  const literal = /^'(.*)'$/.exec(t);
  if (literal) return literal[1] ?? '';
  const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(t);
  if (output) return scope.outputs[output[1] ?? '']?.[output[2] ?? ''] ?? '';
  throw new Error(`the workflow test does not know the expression ${t}`);
}

/** The subset of GitHub's expression language the recipe uses: ||, &&, ==, != and the terms above. */
export function evaluate(expression: string, scope: Scope): boolean {
  return expression.split('||').some((any) =>
    any.split('&&').every((all) => {
      const compare = /^(.*?)\s*(==|!=)\s*(.*)$/.exec(all.trim());
      if (!compare) return value(all, scope) !== false && value(all, scope) !== '';
      const same = value(compare[1] ?? '', scope) === value(compare[3] ?? '', scope);
      return compare[2] === '==' ? same : !same;
    }),
  );
}

function runWorkflow(dir: string, env: NodeJS.ProcessEnv, work: string): WorkflowRun {
  const doc = parse(readFileSync(RECIPE, 'utf8')) as { jobs: Record<string, { steps: WorkflowStep[] }> };
  const steps = Object.values(doc.jobs)[0]?.steps ?? [];
  const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
  const run: WorkflowRun = { failed: false, ran: [], outputs: {}, log: '' };
  const stepEnv: Record<string, string> = {};
  steps.forEach((step, index) => {
    if (step.uses || !step.run) return;
    const condition = step.if ?? 'success()';
    const scope = { outputs: run.outputs, failed: run.failed, sha };
    if (!evaluate(/\b(success|failure|always|cancelled)\(\)/.test(condition) ? condition : `success() && ${condition}`, scope)) return;
    const output = join(work, `output-${index}`);
    const envFile = join(work, `env-${index}`);
    writeFileSync(output, '');
    writeFileSync(envFile, '');
    const script = step.run.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => String(value(expression, scope)));
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd: dir,
      env: { ...env, ...stepEnv, GITHUB_OUTPUT: output, GITHUB_ENV: envFile, GITHUB_SHA: sha },
      encoding: 'utf8',
    });
    run.ran.push(step.id ?? step.run.split('\n')[0] ?? '');
    run.log += `$ ${script}\n${result.stdout}${result.stderr}exit ${result.status}\n`;
    const pairs = (file: string) => Object.fromEntries(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    if (step.id) run.outputs[step.id] = pairs(output);
    Object.assign(stepEnv, pairs(envFile));
    if (result.status !== 0) run.failed = true;
  });
  return run;
}

const repo = useRepos(afterEach);

/** The project, a `npx` that runs this relmgr, and a CI checkout (a fresh clone, on main at `ref`). */
function setup(check: string) {
  const r = makeProject(repo, 'schema: relmgr/v1\nversioning: { branches: [main] }\nphases:\n  test:\n    steps: [ { name: check, run: "sh check.sh" } ]\n');
  writeFileSync(join(r.dir, 'check.sh'), check);
  r.commit('fix: add the check', { file: 'check.sh', content: check });
  r.git('push', '-q', 'origin', 'main');
  const tools = join(r.home, 'tools');
  mkdirSync(tools);
  writeFileSync(join(tools, 'npx'), `#!/bin/sh\n[ "$1" = relmgr ] && shift\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  writeFileSync(join(tools, 'npm'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(tools, 'npx'), 0o755);
  chmodSync(join(tools, 'npm'), 0o755);
  const env = { ...r.env, PATH: `${tools}:${r.env.PATH}`, CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_REF_TYPE: 'branch', GITHUB_REF_NAME: 'main' };
  let runs = 0;
  const job = (ref = 'main'): WorkflowRun & { dir: string } => {
    runs += 1;
    const dir = join(r.home, `ci-${runs}`);
    execFileSync('git', ['clone', '-q', r.bare, dir], { env: r.env });
    execFileSync('git', ['checkout', '-q', '-B', 'main', ref], { cwd: dir, env: r.env }); // what actions/checkout does
    const work = join(r.home, `work-${runs}`);
    mkdirSync(work);
    return { ...runWorkflow(dir, env, work), dir };
  };
  return { r, job };
}

const status = async (dir: string, env: NodeJS.ProcessEnv, release?: string) => JSON.parse((await run({ dir, env }, ['status', '--json', ...(release ? ['--release', release] : [])])).stdout);

describe('examples/github-actions-release.yml', () => {
  it('a fix committed after a failed test: the next run supersedes the failed release with a new one', async () => {
    const { r, job } = setup('exit 1\n');
    const first = job();
    expect(first.failed, first.log).toBe(true);
    expect(first.ran).toEqual(['npm ci', expect.stringContaining('git config user.name'), 'plan', 'cut', 'test', 'npx relmgr status']);
    expect(first.outputs.plan).toMatchObject({ state: 'planned', version: '1.0.1' });
    expect(await status(first.dir, r.env)).toMatchObject({ version: '1.0.1', state: 'failed' });

    r.git('pull', '-q', '--rebase', 'origin', 'main');
    r.commit('fix: the check passes', { file: 'check.sh', content: 'exit 0\n' });
    r.git('push', '-q', 'origin', 'main');
    const second = job();
    expect(second.failed, second.log).toBe(false);
    expect(second.outputs.plan).toEqual({ version: '1.0.1', tag: 'v1.0.1', state: 'failed', phase: 'test', next: 'replace' });
    expect(second.outputs.replan).toMatchObject({ state: 'planned', version: '1.0.2' });
    expect(second.ran).toEqual(expect.arrayContaining(['plan', 'replan', 'cut', 'test']));
    expect(second.ran).not.toContain('resume');
    expect(await status(second.dir, r.env)).toMatchObject({ version: '1.0.2', state: 'tested' });
    expect(await status(second.dir, r.env, '1.0.1')).toMatchObject({ state: 'abandoned', abandoned: { reason: expect.stringMatching(/^replaced by 1\.0\.2: superseded by [0-9a-f]{40}$/) } });
    const tags = execFileSync('git', ['ls-remote', '--tags', r.bare], { encoding: 'utf8' });
    expect(tags).toContain('refs/tags/v1.0.1'); // the failed release's tag stays published
    expect(tags).toContain('refs/tags/v1.0.2');
  });

  it('a rerun of the same commit after a failed test resumes the open release', async () => {
    const { r, job } = setup('test -f "$HOME/.flaky-ok"\n');
    const first = job();
    expect(first.failed, first.log).toBe(true);
    const sha = execFileSync('git', ['rev-parse', 'HEAD~1'], { cwd: first.dir, encoding: 'utf8' }).trim(); // the planned commit, below the release commit
    writeFileSync(join(r.home, '.flaky-ok'), '');
    const rerun = job(sha);
    expect(rerun.failed, rerun.log).toBe(false);
    expect(rerun.outputs.plan).toMatchObject({ state: 'failed', phase: 'test', next: 'resume' });
    expect(rerun.outputs.resume).toMatchObject({ state: 'tested', version: '1.0.1' });
    expect(rerun.ran).toEqual(expect.arrayContaining(['plan', 'resume']));
    expect(rerun.ran).not.toContain('cut');
    expect(await status(rerun.dir, r.env)).toMatchObject({ version: '1.0.1', state: 'tested' });
  });

  it('evaluates the if: conditions it relies on', () => {
    const scope = { outputs: { plan: { state: 'planned' } }, failed: false, sha: 'abc' };
    expect(evaluate("steps.plan.outputs.state == 'planned' || steps.replan.outputs.state == 'planned'", scope)).toBe(true);
    expect(evaluate("steps.plan.outputs.next == 'resume'", scope)).toBe(false);
    expect(evaluate("success() && steps.plan.outputs.state != 'planned'", scope)).toBe(false);
    expect(evaluate('failure()', { ...scope, failed: true })).toBe(true);
  });
});
