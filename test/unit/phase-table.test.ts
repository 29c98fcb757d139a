import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/core/config/schema.js';
import type { LedgerEvent } from '../../src/core/lifecycle/events.js';
import { foldLedger, LedgerFold, phaseState } from '../../src/core/lifecycle/fold.js';
import { nextCommand } from '../../src/core/lifecycle/next.js';
import { LIFECYCLE, phaseCommand, phaseDef, phaseLabel } from '../../src/core/lifecycle/phases.js';
import { phaseToResume, resumeCommand } from '../../src/core/lifecycle/resume.js';
import { phaseSteps } from '../../src/engine/phase-steps.js';
import { Recording } from '../../src/engine/recording.js';

let n = 0;
const actor = { name: 'A', email: 'a@example.com' };
function ev(type: LedgerEvent['type'], release: string, data: Record<string, unknown> = {}, phase?: LedgerEvent['phase'], env?: string): LedgerEvent {
  n += 1;
  return { v: 1, id: `e${n.toString(16).padStart(7, '0')}`, type, release, at: new Date(Date.UTC(2026, 10, 21, 10, 0, 0, n)).toISOString(), actor, data, ...(phase ? { phase } : {}), ...(env ? { env } : {}) };
}
const planned = (version = '1.0.1'): LedgerEvent => ev('release.planned', version, { tag: `v${version}`, base: 'abc' });

describe('the phase table', () => {
  it('describes every phase: commands, order, the state each reaches, where they run', () => {
    expect(LIFECYCLE.map((d) => [d.name, d.command, d.perEnvironment, d.reached, d.requires, d.runsAt, d.effects, d.next])).toEqual([
      ['build', 'relmgr cut', false, 'cut', [], 'planned', 'release', 'test'],
      ['test', 'relmgr test', false, 'tested', ['build'], 'release', null, 'deploy'],
      ['deploy', 'relmgr deploy', true, 'deployed', ['test'], 'release', null, 'monitor'],
      ['monitor', 'relmgr monitor', false, 'monitored', ['deploy'], 'anywhere', null, 'feedback'],
      ['feedback', 'relmgr close', false, 'closed', [], 'anywhere', null, null],
      ['rollback', 'relmgr rollback', true, 'rolled_back', [], 'anywhere', null, null],
    ]);
    expect(phaseDef('plan')).toBeUndefined();
    expect(phaseCommand({ phase: 'deploy', env: 'staging' })).toBe('relmgr deploy staging');
    expect(phaseCommand({ phase: 'test', env: null })).toBe('relmgr test');
    expect(phaseLabel({ phase: 'deploy', env: 'staging' })).toBe('deploy staging');
    expect(phaseLabel({ phase: 'build', env: null })).toBe('build');
  });

  it('finds gates and steps in the release config: the plan phase\'s exit gates open the build', () => {
    const config = {
      checks: { ready: { run: 'curl -f localhost/health' } },
      phases: { plan: { exit: [{ check: 'ready' }] }, build: { steps: [{ run: 'make' }], exit: [{ check: 'ready' }] }, test: { steps: [{ run: 'make test' }] } },
    } as unknown as Config;
    const build = phaseSteps(phaseDef('build')!, config, null).map((s) => s.spec?.run);
    expect(build).toEqual(['curl -f localhost/health', 'make', 'curl -f localhost/health']);
    expect(phaseSteps(phaseDef('test')!, config, null).map((s) => s.spec?.run)).toEqual(['make test']);
    expect(phaseSteps(phaseDef('test')!, null, null)).toEqual([]);
  });

  it('puts gates that are evaluated (not run) where they stand, in order with the checks and steps', () => {
    const config = {
      checks: { ready: { run: 'curl -f localhost/health' } },
      phases: { test: { entry: [{ freeze: 'weekend' }], steps: [{ run: 'make test' }], exit: [{ wait: '1h' }, { check: 'ready' }] } },
    } as unknown as Config;
    const items = phaseSteps(phaseDef('test')!, config, null).map((s) => (s.gate ? `${s.gate.where} ${s.gate.kind} ${s.gate.id}` : s.spec.run));
    expect(items).toEqual(['phases.test.entry freeze weekend', 'make test', 'phases.test.exit wait wait-1h', 'curl -f localhost/health']);
  });

  it('evaluates a check gate the emergency track skips instead of running it', () => {
    const config = { checks: { ready: { run: 'true' } }, phases: { test: { exit: [{ check: 'ready' }] } } } as unknown as Config;
    const items = phaseSteps(phaseDef('test')!, config, null, (at) => at.kind === 'check');
    expect(items.map((s) => (s.gate ? `gate ${s.gate.id}` : s.spec.run))).toEqual(['gate ready']);
  });
});

describe('the fold, per (phase, environment)', () => {
  it('keeps each environment\'s attempts apart, and an interruption is a (phase, environment) pair', () => {
    const events = [
      planned(),
      ev('phase.started', '1.0.1', {}, 'deploy', 'staging'),
      ev('phase.succeeded', '1.0.1', {}, 'deploy', 'staging'),
      ev('phase.started', '1.0.1', {}, 'deploy', 'production'),
      ev('step.started', '1.0.1', { index: 0, name: 'ship', idempotent: false }, 'deploy', 'production'),
      ev('phase.interrupted', '1.0.1', { signal: 'SIGINT' }, 'deploy', 'production'),
    ];
    const release = foldLedger(events).open!;
    expect(phaseState(release, { phase: 'deploy', env: 'staging' })).toMatchObject({ state: 'succeeded', attempts: [{ state: 'succeeded' }] });
    expect(phaseState(release, { phase: 'deploy', env: 'production' })).toMatchObject({ state: 'interrupted', attempts: [{ state: 'interrupted' }] });
    expect(release.phases.deploy.attempts).toEqual([]);
    expect(release.interrupted).toEqual({ phase: 'deploy', env: 'production' });
    expect(phaseToResume(release)).toEqual({ phase: 'deploy', env: 'production' });
    expect(resumeCommand(release)).toBe('relmgr resume --rerun (or, if step "ship" did its work: relmgr resume --assume-done)');
    expect(nextCommand(release)).toContain('(the deploy production phase was interrupted)');
  });

  it('binds an event to its attempt: a run taken over that goes on writes into its own attempt, never the newest', () => {
    const plan = planned();
    const first = ev('phase.started', '1.0.1', { host: 'laptop', pid: 1 }, 'build');
    const events = [
      plan,
      first,
      ev('step.started', '1.0.1', { index: 0, name: 'compile', phaseAttempt: first.id }, 'build'),
      ev('phase.interrupted', '1.0.1', { takeover: true }, 'build'),
    ];
    const second = ev('phase.started', '1.0.1', { host: 'ci-7', pid: 2 }, 'build');
    events.push(
      second,
      ev('step.skipped', '1.0.1', { index: 0, name: 'compile', phaseAttempt: second.id }, 'build'),
      ev('step.succeeded', '1.0.1', { index: 0, name: 'compile', phaseAttempt: first.id }, 'build'),
      ev('phase.succeeded', '1.0.1', { commit: 'c1', phaseAttempt: second.id }, 'build'),
      ev('step.started', '1.0.1', { index: 1, name: 'package', phaseAttempt: first.id }, 'build'),
      ev('phase.failed', '1.0.1', { error: 'late', phaseAttempt: first.id }, 'build'),
    );
    const release = foldLedger(events).open!;
    expect(release.state).toBe('cut');
    const [a, b] = release.phases.build.attempts;
    expect(a).toMatchObject({ id: first.id, steps: [{ name: 'compile', state: 'succeeded' }, { name: 'package', state: 'running' }] });
    expect(b).toMatchObject({ id: second.id, state: 'succeeded', steps: [{ name: 'compile', state: 'skipped' }] });
    expect(release.phases.build.state).toBe('succeeded');
    expect(release.running).toBeNull();
  });

  it('derives the state from the table: the furthest phase that succeeded, failed while the newest attempt failed', () => {
    const base = [planned(), ev('phase.started', '1.0.1', {}, 'build'), ev('phase.succeeded', '1.0.1', { commit: 'c1' }, 'build')];
    expect(foldLedger(base).open?.state).toBe('cut');
    const failed = [...base, ev('phase.started', '1.0.1', {}, 'test'), ev('phase.failed', '1.0.1', {}, 'test')];
    expect(foldLedger(failed).open?.state).toBe('failed');
    expect(phaseToResume(foldLedger(failed).open!)).toEqual({ phase: 'test', env: null });
    const tested = [...failed, ev('phase.started', '1.0.1', {}, 'test'), ev('phase.succeeded', '1.0.1', {}, 'test')];
    expect(foldLedger(tested).open?.state).toBe('tested');
    expect(phaseToResume(foldLedger(tested).open!)).toBeNull();
  });

  it('folds incrementally to the same state as folding everything at once, whatever order events arrive in', () => {
    const events = [
      planned('1.0.1'),
      ev('phase.started', '1.0.1', {}, 'build'),
      ev('step.started', '1.0.1', { index: 0, name: 'make' }, 'build'),
      ev('step.succeeded', '1.0.1', { index: 0, name: 'make', durationMs: 5 }, 'build'),
      ev('effect.applied', '1.0.1', { kind: 'commit', commit: 'c1' }, 'build'),
      ev('phase.succeeded', '1.0.1', { commit: 'c1' }, 'build'),
      ev('release.abandoned', '1.0.1', { reason: 'no' }),
      planned('1.0.2'),
      planned('1.1.0'),
    ];
    const whole = foldLedger(events);
    const one = new LedgerFold();
    for (const event of events) one.add([event]);
    expect(one.state).toEqual(whole);
    // Another machine's older events merged in after newer ones: folded again, in order.
    const late = new LedgerFold(events.slice(3));
    late.add(events.slice(0, 3));
    expect(late.state).toEqual(whole);
    expect(whole.open?.version).toBe('1.0.2');
    expect(whole.releases.find((r) => r.version === '1.1.0')?.abandoned?.reason).toMatch(/^superseded: 1\.0\.2 was planned first/);
  });
});

describe('a dry run records instead of changing', () => {
  const files: Record<string, string> = { '/r/package.json': '{\n  "version": "1.0.0"\n}\n' };
  const fs = { readText: async (path: string) => files[path], writeTextAtomic: async () => expect.unreachable(), remove: async () => expect.unreachable() };

  it('says it would not push only when it would change git (a deploy has nothing to push)', async () => {
    const recording = new Recording();
    await recording.shell().run({ command: './deploy.sh staging', cwd: '/r', env: {}, timeoutMs: 1000, onOutput: () => undefined });
    expect(recording.describe('Would deploy 1.0.1 to staging', '/r', '.relmgr/logs', (t) => t)).toBe('Would deploy 1.0.1 to staging\n\n! would run ./deploy.sh staging\n\n');
  });

  it('describes the commands, the diffs (not the step logs) and the git commands, in order', async () => {
    const recording = new Recording();
    const shell = recording.shell();
    const port = recording.fs(fs);
    const git = recording.releaseGit({ tagCommit: async () => undefined } as never);
    await shell.run({ command: 'make', cwd: '/r', env: {}, timeoutMs: 1, onOutput: () => undefined });
    await shell.run({ command: 'make', cwd: '/r', env: {}, timeoutMs: 1, onOutput: () => undefined });
    await port.writeTextAtomic('/r/.relmgr/logs/1.0.1/release-notes.md', 'notes');
    await port.writeTextAtomic('/r/package.json', '{\n  "version": "1.0.1"\n}\n');
    await port.writeTextAtomic('/r/CHANGELOG.md', '# Changelog\n');
    expect(await git.commit(['package.json', 'CHANGELOG.md'], 'chore(release): v1.0.1')).toMatch(/^0{40}$/);
    await git.tag('v1.0.1', 'c', 'v1.0.1');
    expect(await git.tagCommit('v1.0.1')).toBeUndefined(); // reads stay real
    const text = recording.describe('Would cut 1.0.1 (tag v1.0.1)', '/r', '.relmgr/logs', (t) => t);
    expect(text).toBe(
      [
        'Would cut 1.0.1 (tag v1.0.1)',
        '',
        '! would run make',
        '',
        '--- a/package.json\n+++ b/package.json\n@@ -1,3 +1,3 @@\n {\n-  "version": "1.0.0"\n+  "version": "1.0.1"\n }',
        '',
        '--- /dev/null\n+++ b/CHANGELOG.md\n@@ -0,0 +1 @@\n+# Changelog',
        '',
        '! would run git commit -m "chore(release): v1.0.1" -- package.json CHANGELOG.md',
        '! would run git tag --annotate v1.0.1',
        '(no push: no remote, or --no-push)',
        '',
      ].join('\n'),
    );
    const json = recording.toJson('/r', '.relmgr/logs', (t) => t) as { edits: Array<Record<string, unknown>> };
    expect(json.edits.map((e) => [e.path, e.created, e.bytes])).toEqual([['package.json', false, 25], ['CHANGELOG.md', true, 12]]);
    expect(json.edits[0]).toMatchObject({ sha256: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), diff: expect.stringContaining('+  "version": "1.0.1"') });
    expect(JSON.stringify(json)).not.toContain('"after"');
  });
});
