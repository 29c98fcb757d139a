import type { Config } from '../config/schema.js';
import type { Deployment } from './deployments.js';
import { deployedTo, deployOrder, deploysAhead, productionEnvironments, replacedIn } from './environments.js';
import { phaseStates, type PhaseState, type ReleaseView } from './fold.js';
import { phaseCommand, phaseLabel } from './phases.js';
import { phaseToResume, resumeCommand } from './resume.js';
import { monitorConfigured, productionWith } from './walk.js';

/**
 * What goes on after a gate rejected the release (or timed out): a new plan asks every gate afresh.
 * A release already cut has its tag: the new plan needs a new commit (the fix).
 */
export function stoppedNext(release: ReleaseView): string {
  const fix = release.phases.build.state === 'succeeded' ? 'commit the fix, then ' : '';
  return `${fix}relmgr plan --replace --reason "…" (a new plan asks the gates afresh), or relmgr abort --reason "…"`;
}

/** The (phase, environment) whose last attempt ran its steps and waits at a gate after them, if any. */
export function gatedPhase(release: ReleaseView): PhaseState | undefined {
  return phaseStates(release).find((p) => p.state === 'gated');
}

/** The build attempt that cut the release, if it has been cut. */
export function cutAttempt(release: ReleaseView) {
  return release.phases.build.attempts.findLast((a) => a.state === 'succeeded') ?? null;
}

/** The release commit of a cut release, or null. */
export function releaseCommit(release: ReleaseView): string | null {
  const commit = cutAttempt(release)?.result.commit;
  return typeof commit === 'string' ? commit : null;
}

/** Whether the ledger records the push of a cut release (by `cut`, `resume` or `relmgr push`). */
export function pushedInLedger(release: ReleaseView): boolean {
  return release.phases.build.attempts.some((a) => a.effects.some((e) => e.kind === 'push' && !e.undone)) || cutAttempt(release)?.result.pushed === true;
}

/** A ledger time as people read it: `2026-11-29 17:38 UTC`. */
export const when = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** What the clone a command runs in knows beyond the ledger. */
export interface NextFacts {
  /** The release config: which environments come next, whether a monitor phase is configured. */
  config?: Config | null;
  /** The remote releases are pushed to, or null (none). */
  remote: string | null;
  /** Whether this clone has the release commit; false when it was cut with --no-push in another clone. */
  commitHere?: boolean;
  /** What every environment ran (Session.deployments()): an environment before the next one that no longer runs the release comes first. */
  history?: readonly Deployment[];
}

/** Where a release cut with --no-push in another clone can be published from. */
export function cutElsewhere(release: ReleaseView): string {
  const cut = cutAttempt(release);
  const by = cut ? ` by ${cut.actor.name} <${cut.actor.email}> on ${when(cut.startedAt)}` : '';
  return `cut with --no-push${by} in another clone: push it from that clone with relmgr push`;
}

/** The push the remote refused after the release was cut (`relmgr push` onto a branch that moved), if not pushed since. */
export function refusedPush(release: ReleaseView): { code: string | null; hint: string | null; after: string | null } | null {
  const refused = cutAttempt(release)?.refused;
  return refused?.kind === 'push' && !pushedInLedger(release) ? refused : null;
}

/**
 * What comes after abandoning a release: what its refused push's recipe says; for a release cut
 * with --no-push and never pushed, dropping its tag and release commit (where they are: a plan on
 * top of them would publish the abandoned commit under the next version); else a fix to plan from
 * (its tag stays).
 */
export function afterAbandon(release: ReleaseView, facts: NextFacts = { remote: null }): string | null {
  if (release.phases.build.state !== 'succeeded') return null;
  const refused = refusedPush(release)?.after;
  if (refused) return refused;
  if (facts.remote !== null && !pushedInLedger(release)) {
    const where = facts.commitHere === false ? `in the clone that cut it${cutBy(release)}: ` : '';
    // Exactly its release commit goes: commits made on top of it since are kept (replayed onto the planned commit).
    const drop = `git rebase --onto ${release.base.slice(0, 7)} ${(releaseCommit(release) ?? release.tag).slice(0, 7)}`;
    return `${where}git tag -d ${release.tag} && ${drop} (${release.version} was never pushed: this drops its tag and release commit), then commit the fix and relmgr plan`;
  }
  return 'commit the fix, then relmgr plan';
}

/** ` (by Alice <alice@…>)`: who cut a release, for a recipe that must run in their clone. */
const cutBy = (release: ReleaseView): string => {
  const cut = cutAttempt(release);
  return cut ? ` (by ${cut.actor.name} <${cut.actor.email}>)` : '';
};

/** The newest failed attempt of a failed release. */
function failedAttempt(release: ReleaseView) {
  // Per-environment phases too: a failed deploy to staging repeats the advice it was recorded with.
  return phaseStates(release)
    .flatMap((p) => p.attempts)
    .filter((a) => a.state === 'failed')
    .sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1))
    .at(-1);
}

/** What a failed release's failure was recorded with: its error code and the hint it gave. */
export function recordedFailure(release: ReleaseView): { kind: string | null; hint: string | null } {
  const result = release.state === 'failed' ? failedAttempt(release)?.result : undefined;
  const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
  return { kind: text(result?.kind), hint: text(result?.hint) };
}

/**
 * The next command for a release, and why. A failure repeats the hint it was recorded with, so
 * status gives the advice the failing command gave (a refused push is not fixed by resuming).
 */
export function nextCommand(release: ReleaseView, facts: NextFacts = { remote: null }): string {
  const published = pushedInLedger(release);
  if (release.state === 'abandoned') {
    // Its tag stays: planning again from the same commit finds nothing new to release.
    const after = afterAbandon(release, facts);
    if (after === null) return 'relmgr plan (this release was abandoned)';
    return after.startsWith('commit the fix') ? `${after} (this release was abandoned; its tag stays)` : `${after} (this release was abandoned)`;
  }
  if (release.running) return `wait for the ${phaseLabel(release.running)} phase to finish (it is running), then: relmgr status`;
  if (release.interrupted) return `${resumeCommand(release)} (the ${phaseLabel(release.interrupted)} phase was interrupted)`;
  const gated = gatedPhase(release);
  const outcome = gated?.attempts.at(-1)?.gated?.outcome;
  if (gated && outcome && outcome !== 'pending') return `${stoppedNext(release)} (a gate ${outcome === 'rejected' ? 'rejected it' : 'timed out'}: relmgr status shows which)`;
  if (gated) return `${phaseCommand(gated)} once the gates it waits at pass (relmgr status shows them)`;
  if (release.state === 'failed') {
    if (phaseToResume(release)?.phase === 'monitor') return monitorFailedNext(release, facts.config ?? null);
    const { hint } = recordedFailure(release);
    if (hint !== null) return hint;
    return `relmgr resume (or relmgr abort${published ? ' --reason "…"' : ''})`;
  }
  if (release.state === 'planned') return 'relmgr cut';
  // A refused push is not fixed by pushing again: repeat the recipe it was refused with.
  const refused = refusedPush(release)?.hint;
  if (refused) return refused;
  const unpushed = facts.remote !== null && !published;
  if (unpushed && facts.commitHere === false) return cutElsewhere(release);
  if (release.state === 'cut') return unpushed ? `relmgr test, and relmgr push to publish it (cut with --no-push; ${facts.remote} has neither its commit nor its tag)` : 'relmgr test';
  if (unpushed) return `relmgr push (cut with --no-push: ${facts.remote} has neither its commit nor its tag)`;
  return forward(release, facts.config ?? null, facts.history);
}

/** What takes a release further once nothing is wrong with it: the next environment, monitor, close. */
export function forward(release: ReleaseView, config: Config | null, history?: readonly Deployment[]): string {
  const close = 'relmgr close --note "…"';
  switch (release.state) {
    case 'closed':
      return `relmgr plan (${release.version} is closed)`;
    case 'rolled_back':
      return `commit the fix, then relmgr plan; or record how it ended: ${close}`;
    case 'monitored':
      return close;
    case 'monitoring':
      return 'relmgr monitor';
    default: {
      const env = deploysAhead(release, config, history)[0];
      const monitor = monitorConfigured(config);
      if (release.state === 'deployed' || env === undefined) {
        if (deployOrder(config).length === 0) return `${close} (no environments are configured), or plan the next release: relmgr plan`;
        // Production runs something else now (a hotfix went there since): nothing left to watch.
        const replaced = history ? replacedIn(release, config, history) : [];
        if (release.state === 'deployed' && replaced.length > 0 && replaced.length === productionWith(release, config).length) return `${close} (${replaced[0]?.env ?? 'production'} runs another release now)`;
        return monitor ? 'relmgr monitor' : close;
      }
      return deployedTo(release, env) ? `relmgr deploy ${env} --redeploy` : `relmgr deploy ${env}`;
    }
  }
}

/** A release whose monitor phase failed is failed in production: roll it back, or fix the cause and retry. */
export function monitorFailedNext(release: ReleaseView, config: Config | null): string {
  const env = productionWith(release, config)[0] ?? productionEnvironments(config)[0] ?? 'production';
  return `roll it back: relmgr rollback ${env} --reason "…" (${release.version} failed in production), or fix the cause and retry: relmgr resume`;
}
