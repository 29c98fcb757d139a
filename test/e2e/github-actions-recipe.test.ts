import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { condition, evaluateExpression, substitute } from '../helpers/expressions.js';
import { makeProject, run, useRepos } from '../helpers/repo.js';
import { ciRunner, runWorkflow, scopeOf, type JobRun, type WorkflowFile } from '../helpers/workflow.js';

/*
 * Runs examples/github-actions-release.yml the way GitHub Actions would (test/helpers/workflow.ts):
 * each `run:` step in order under bash, with GITHUB_OUTPUT/GITHUB_ENV and the `if:` conditions
 * evaluated, against a scratch repository and a bare remote; the checkout is a fresh clone.
 */
const RECIPE = resolve(import.meta.dirname, '../../examples/github-actions-release.yml');

const repo = useRepos(afterEach);

/** The project, and its CI job on a push to main (at the remote's main, or at `sha`, as a rerun of an older run does). */
function setup(check: string) {
  const r = makeProject(repo, 'schema: relmgr/v1\nversioning: { branches: [main] }\nphases:\n  test:\n    steps: [ { name: check, run: "sh check.sh" } ]\n');
  writeFileSync(join(r.dir, 'check.sh'), check);
  r.commit('fix: add the check', { file: 'check.sh', content: check });
  r.git('push', '-q', 'origin', 'main');
  const ci = ciRunner(r, RECIPE);
  const job = (sha?: string) => {
    const run = ci({ name: 'push', ...(sha ? { sha } : {}) });
    const release = run.jobs.release as JobRun;
    return { failed: run.failed, log: run.log, ran: release.ran, outputs: release.steps, dir: release.dir as string };
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
    expect(second.outputs.plan).toEqual({ version: '1.0.1', tag: 'v1.0.1', state: 'failed', environment: '', released: 'false', phase: 'test', next: 'replace' });
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
    const step = (outputs: Record<string, Record<string, string>>, failed = false) => scopeOf({ steps: Object.fromEntries(Object.entries(outputs).map(([id, o]) => [id, { outputs: o }])), github: { sha: 'abc' } }, { success: !failed, failure: failed });
    const scope = step({ plan: { state: 'planned' } });
    expect(condition("steps.plan.outputs.state == 'planned' || steps.replan.outputs.state == 'planned'", scope)).toBe(true);
    expect(condition("steps.plan.outputs.next == 'resume'", scope)).toBe(false);
    expect(condition("success() && steps.plan.outputs.state != 'planned'", scope)).toBe(false);
    expect(condition('failure()', step({}, true))).toBe(true);
    expect(condition("steps.plan.outputs.state == 'planned'", step({ plan: { state: 'planned' } }, true))).toBe(false); // success() && …
    expect(substitute('superseded by ${{ github.sha }}', scope)).toBe('superseded by abc');
  });
});

describe('the workflow runner', () => {
  // Jobs listed out of order: `needs:` decides the order.
  const WORKFLOW = `
on: push
jobs:
  reads:
    needs: [first]
    if: needs.first.outputs.answer == '42' && github.event_name == 'push'
    steps:
      - uses: actions/checkout@v4
        with: { ref: "v\${{ needs.first.outputs.answer }}" }
      - run: echo "got \${{ needs.first.outputs.answer }} on \${{ github.ref }}"
  first:
    outputs: { answer: "\${{ steps.a.outputs.answer }}", none: "\${{ steps.never.outputs.x }}" }
    steps:
      - uses: actions/checkout@v4
      - id: a
        run: |
          echo "answer=42" >> "$GITHUB_OUTPUT"
          echo "::notice title=hello::from first"
  broken:
    needs: first
    steps:
      - uses: actions/checkout@v4
      - run: exit 3
      - id: never
        run: echo never
      - if: failure()
        run: echo cleanup
  after-broken:
    needs: [broken]
    steps: [ { uses: actions/checkout@v4 }, { run: echo no } ]
  on-failure:
    needs: [broken, first]
    if: failure()
    steps: [ { uses: actions/checkout@v4 }, { run: echo reported } ]
`;
  it('runs jobs in the order needs: allows, with job outputs, job-level if:, status functions and annotations', () => {
    const r = repo();
    const checkouts: Array<[string, string | undefined]> = [];
    const run = runWorkflow(parse(WORKFLOW) as WorkflowFile, {
      event: { name: 'push', ref: 'refs/heads/main', sha: 'abc' },
      env: r.env,
      work: join(r.home, 'work'),
      checkout: (job, ref) => {
        checkouts.push([job, ref]);
        const dir = join(r.home, job);
        mkdirSync(dir);
        return dir;
      },
    });
    expect(Object.keys(run.jobs)).toEqual(['first', 'reads', 'broken', 'after-broken', 'on-failure']);
    expect(run.failed).toBe(true);
    expect(run.jobs.first).toMatchObject({ result: 'success', outputs: { answer: '42', none: '' } });
    expect(run.jobs.reads?.result).toBe('success');
    expect(run.log).toContain('got 42 on refs/heads/main\n');
    expect(checkouts).toContainEqual(['reads', 'v42']);
    expect(run.jobs.broken).toMatchObject({ result: 'failure', ran: ['exit 3', 'echo cleanup'] });
    expect(run.jobs['after-broken']?.result).toBe('skipped');
    expect(run.jobs['on-failure']).toMatchObject({ result: 'success', ran: ['echo reported'] });
    expect(run.annotations).toEqual([{ level: 'notice', title: 'hello', message: 'from first' }]);
  });
});

describe('docs/ci.md', () => {
  it.each(['github-actions-release.yml', 'github-actions-gated.yml'])('shows examples/%s exactly as the tests run it', (file) => {
    const docs = readFileSync(resolve(import.meta.dirname, '../../docs/ci.md'), 'utf8');
    const blocks = [...docs.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toContain(readFileSync(resolve(import.meta.dirname, '../../examples', file), 'utf8'));
  });
});

describe('the workflow expressions the tests evaluate (a subset of GitHub\'s)', () => {
  const scope = scopeOf(
    { steps: { cut: { outputs: { tag: '' } }, open: { outputs: { tag: 'v1.0.1', state: 'cut' } } }, needs: { gate: { result: 'success', outputs: { ready: 'true' } } }, github: { ref: 'refs/heads/relmgr/ledger', event_name: 'push' } },
    { success: true, failure: false },
  );
  it.each([
    ["steps.cut.outputs.tag || steps.open.outputs.tag", 'v1.0.1'], // || gives the first truthy operand
    ["steps.open.outputs.tag && steps.open.outputs.state", 'cut'],
    ["steps.open.outputs.state == 'CUT'", true], // strings compare case-insensitively
    ["steps.nothing.outputs.state == ''", true], // a missing property is null, equal to '' (both 0 as numbers)
    ["!(github.event_name == 'push' && github.ref == 'refs/heads/main')", true],
    ["needs.gate.outputs.ready == 'true' && needs.gate.result == 'success'", true],
    ["contains(github.ref, 'ledger') && startsWith(github.ref, 'refs/heads/')", true],
    ["steps.open.outputs.state == 'tested'", false],
    ["'it''s' != 'it'", true],
  ])('%s → %s', (expression, expected) => {
    expect(evaluateExpression(expression, scope)).toBe(expected);
  });

  it('refuses what it does not know, rather than guessing', () => {
    expect(() => evaluateExpression('env.FOO', scope)).toThrow(/does not know the expression env\.FOO/);
    expect(() => evaluateExpression("format('{0}', 1)", scope)).toThrow(/does not know the function format/);
    expect(() => evaluateExpression('steps.cut.outputs.tag ==', scope)).toThrow(/cannot read/);
  });
});
