import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { otherClone } from '../helpers/hints.js';
import { makeProject, run, useRepos } from '../helpers/repo.js';
import { ciRunner, type JobRun, type WorkflowRun } from '../helpers/workflow.js';

/*
 * Runs examples/github-actions-gated.yml (the gate job, then the deploy job when the gate job says
 * ready) the way GitHub Actions would (test/helpers/workflow.ts), against a scratch repository
 * with a bare remote. Each run is a fresh checkout, as on a new runner; decisions are recorded
 * from other clones, as from people's laptops.
 */
const RECIPE = resolve(import.meta.dirname, '../../examples/github-actions-gated.yml');

const HEAD = 'schema: relmgr/v1\nversioning: { branches: [main] }\ngroups:\n  release-managers: [rm1@example.com, rm2@example.com]\n';
const TESTS = 'phases:\n  test:\n    steps: [ { name: check, run: "sh check.sh" } ]\n';
const CHECKLIST = `${HEAD}phases:
  plan:
    exit:
      - checklist: { id: readiness, who: release-managers, items: [ { id: notes, text: "Release notes reviewed" } ] }
  test:
    steps: [ { name: check, run: "true" } ]
`;

/** The project's own deploy script: appends the version it deployed to a file outside the checkouts. */
const DEPLOY = '#!/bin/sh\nset -e\necho "$1" >> "$HOME/deployed"\n';

const repo = useRepos(afterEach);

function setup(config: string, check = 'exit 0\n') {
  const r = makeProject(repo, config);
  writeFileSync(join(r.dir, 'check.sh'), check);
  mkdirSync(join(r.dir, 'scripts'));
  writeFileSync(join(r.dir, 'scripts', 'deploy.sh'), DEPLOY);
  chmodSync(join(r.dir, 'scripts', 'deploy.sh'), 0o755);
  r.commit('fix: a deploy script', { file: 'scripts/deploy.sh', content: DEPLOY });
  r.git('push', '-q', 'origin', 'main');
  const deployed = (): string[] => (existsSync(join(r.home, 'deployed')) ? readFileSync(join(r.home, 'deployed'), 'utf8').split('\n').filter(Boolean) : []);
  return { r, ci: ciRunner(r, RECIPE), deployed };
}

const LEDGER = 'refs/heads/relmgr/ledger';
const gate = (run: WorkflowRun): JobRun => run.jobs.gate as JobRun;
const deploy = (run: WorkflowRun): JobRun => run.jobs.deploy as JobRun;

/** A person: their git identity for one command. */
const as = (email: string): Record<string, string> => {
  const name = email.split('@')[0] as string;
  return { GIT_COMMITTER_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_AUTHOR_NAME: name };
};

const status = async (dir: string, env: NodeJS.ProcessEnv) => JSON.parse((await run({ dir, env }, ['status', '--json'])).stdout) as { version: string; state: string };

describe('examples/github-actions-gated.yml', () => {
  it('without gates: a push to main plans, cuts, tests and deploys in one run; the run its ledger push starts has nothing to do', async () => {
    const { r, ci, deployed } = setup(`${HEAD}${TESTS}`);
    const first = ci({ name: 'push' });
    expect(first.failed, first.log).toBe(false);
    expect(gate(first).ran).toEqual(['npm ci', expect.stringContaining('git config'), 'open', 'plan', 'cut', 'test']);
    expect(gate(first).steps.open).toEqual({ state: 'none' });
    expect(gate(first).outputs).toEqual({ ready: 'true', version: '1.0.1', tag: 'v1.0.1' });
    expect(deploy(first).result).toBe('success');
    expect(deployed()).toEqual(['1.0.1']);
    // The deploy job checked out exactly the release tag.
    expect(readFileSync(join(deploy(first).dir as string, 'package.json'), 'utf8')).toContain('"version": "1.0.1"');

    for (const again of [ci({ name: 'push', ref: LEDGER }), ci({ name: 'schedule' }), ci({ name: 'push' })]) {
      // Its own ledger push, the schedule, the push of the release commit: the release is tested, nothing to release.
      expect(again.failed, again.log).toBe(false);
      expect(gate(again).steps.open).toMatchObject({ state: 'tested', version: '1.0.1' });
      expect(gate(again).ran).not.toContain('cut');
      expect(gate(again).ran).not.toContain('test');
      expect(gate(again).outputs.ready).toBe('false');
      expect(deploy(again).result).toBe('skipped');
    }
    expect(deployed()).toEqual(['1.0.1']);
    expect(await status(r.dir, r.env)).toMatchObject({ version: '1.0.1', state: 'tested' });
  });

  it('a failed test fails the gate job; later runs only warn; a fix pushed to main supersedes the release, and it deploys', async () => {
    const { r, ci, deployed } = setup(`${HEAD}${TESTS}`, 'exit 1\n');
    const first = ci({ name: 'push' });
    expect(first.failed).toBe(true);
    // relmgr writes the failed phase's outputs itself (state, released=false, exit), and the step its exit code.
    expect(gate(first).steps.test).toMatchObject({ version: '1.0.1', state: 'failed', released: 'false', exit: '20' });
    expect(first.annotations).toEqual([{ level: 'error', message: expect.stringMatching(/check.*\(.*relmgr resume.*\)$/) }]);
    expect(deploy(first).result).toBe('skipped');

    const later = ci({ name: 'schedule' });
    expect(later.failed, later.log).toBe(false);
    expect(gate(later).ran).not.toContain('plan');
    expect(later.annotations).toEqual([{ level: 'warning', message: expect.stringContaining('1.0.1 failed') }]);

    r.git('pull', '-q', '--rebase', 'origin', 'main');
    r.commit('fix: the check passes', { file: 'check.sh', content: 'exit 0\n' });
    r.git('push', '-q', 'origin', 'main');
    const fixed = ci({ name: 'push' });
    expect(fixed.failed, fixed.log).toBe(false);
    expect(gate(fixed).steps.plan).toMatchObject({ state: 'failed', next: 'replace' });
    expect(gate(fixed).ran).toEqual(expect.arrayContaining(['plan', 'replan', 'cut', 'test']));
    expect(gate(fixed).outputs).toEqual({ ready: 'true', version: '1.0.2', tag: 'v1.0.2' });
    expect(deployed()).toEqual(['1.0.2']);
  });

  it('a run by hand after a flaky test resumes the release, and deploys it', async () => {
    const { r, ci, deployed } = setup(`${HEAD}${TESTS}`, 'test -f "$HOME/.flaky-ok"\n');
    expect(ci({ name: 'push' }).failed).toBe(true);
    writeFileSync(join(r.home, '.flaky-ok'), '');
    const again = ci({ name: 'workflow_dispatch' });
    expect(again.failed, again.log).toBe(false);
    expect(gate(again).steps.plan).toMatchObject({ state: 'failed', phase: 'test', next: 'resume' });
    expect(gate(again).ran).not.toContain('cut');
    expect(gate(again).outputs).toEqual({ ready: 'true', version: '1.0.1', tag: 'v1.0.1' });
    expect(deployed()).toEqual(['1.0.1']);
  });

  it('a checklist at the plan exit: the gate job stays green with ready=false (exit 10) until a person attests from a laptop; the ledger push deploys it, once', async () => {
    const { r, ci, deployed } = setup(CHECKLIST);
    const first = ci({ name: 'push' });
    expect(first.failed, first.log).toBe(false);
    expect(gate(first).steps.plan).toMatchObject({ state: 'planned', version: '1.0.1' });
    expect(gate(first).steps.cut).toEqual({ version: '1.0.1', tag: 'v1.0.1', state: 'pending', environment: '', released: 'false', exit: '10' });
    expect(gate(first).ran).toEqual(expect.arrayContaining(['plan', 'cut', 'held']));
    expect(gate(first).ran).not.toContain('test');
    expect(gate(first).outputs.ready).toBe('false');
    expect(first.annotations).toEqual([
      { level: 'notice', title: 'phases.plan.exit checklist readiness (pending)', message: expect.stringMatching(/notes.* — relmgr attest --checklist readiness --item notes$/) },
    ]);
    expect(deploy(first).result).toBe('skipped');

    // A schedule run meanwhile: still waiting, still green, nothing planned again.
    const waiting = ci({ name: 'schedule' });
    expect(waiting.failed, waiting.log).toBe(false);
    expect(gate(waiting).steps.open).toMatchObject({ state: 'planned', version: '1.0.1' });
    expect(gate(waiting).ran).not.toContain('plan');
    expect(gate(waiting).steps.cut).toEqual({ version: '1.0.1', tag: 'v1.0.1', state: 'pending', environment: '', released: 'false', exit: '10' });

    // A release manager attests from their laptop: the decision is pushed to relmgr/ledger.
    const attest = await run(otherClone(r), ['attest', '--checklist', 'readiness', '--item', 'notes'], { env: as('rm2@example.com') });
    expect(attest.code, attest.stderr).toBe(0);

    const second = ci({ name: 'push', ref: LEDGER });
    expect(second.failed, second.log).toBe(false);
    expect(gate(second).ran).toEqual(expect.arrayContaining(['open', 'cut', 'test']));
    expect(gate(second).ran).not.toContain('plan');
    expect(gate(second).ran).not.toContain('held');
    expect(gate(second).outputs).toEqual({ ready: 'true', version: '1.0.1', tag: 'v1.0.1' });
    expect(deploy(second).result).toBe('success');
    expect(deployed()).toEqual(['1.0.1']);

    // The ledger push of run 2 starts run 3: the release is tested, nothing to do, no second deploy.
    const third = ci({ name: 'push', ref: LEDGER });
    expect(third.failed, third.log).toBe(false);
    expect(gate(third).steps.open).toMatchObject({ state: 'tested' });
    expect(gate(third).outputs.ready).toBe('false');
    expect(deploy(third).result).toBe('skipped');
    expect(third.annotations).toEqual([]);
    expect(deployed()).toEqual(['1.0.1']);
  });

  it('an item answered no rejects the release: the gate job fails (exit 11) with the reason, and nothing deploys', async () => {
    const { r, ci, deployed } = setup(CHECKLIST);
    expect(ci({ name: 'push' }).failed).toBe(false);
    const no = await run(otherClone(r), ['attest', '--checklist', 'readiness', '--item', 'notes', '--no', '--comment', 'notes are missing'], { env: as('rm1@example.com') });
    expect(no.code, no.stderr).toBe(0);
    const rejected = ci({ name: 'push', ref: LEDGER });
    expect(rejected.failed).toBe(true);
    expect(gate(rejected).result).toBe('failure');
    expect(gate(rejected).steps.cut).toEqual({ version: '1.0.1', tag: 'v1.0.1', state: 'rejected', environment: '', released: 'false', exit: '11' });
    expect(rejected.annotations).toEqual([{ level: 'error', title: 'phases.plan.exit checklist readiness (rejected)', message: expect.stringMatching(/notes are missing — .*relmgr plan --replace/) }]);
    expect(gate(rejected).ran).toContain('npx relmgr status'); // the failure() step says what happened
    expect(deploy(rejected).result).toBe('skipped');
    expect(deployed()).toEqual([]);
  });
});
