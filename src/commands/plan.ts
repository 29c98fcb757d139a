import type { Context } from '../context.js';
import type { Config } from '../core/config/schema.js';
import { LEVEL_RANK, type BumpReason } from '../core/bump.js';
import { computeNext } from '../engine/next-version.js';
import { nextWithGates, releaseGateStates, unpassableApprovals } from '../engine/release-gates.js';
import { projectName } from '../engine/project.js';
import { blocking, checkPlan, concurrentPlan, openFailure, type OpenFailure } from '../engine/plan-checks.js';
import { phaseLabel } from '../core/lifecycle/phases.js';
import { recordedFailure } from '../core/lifecycle/next.js';
import { refuseRunning } from '../engine/liveness.js';
import { publishedOn } from '../engine/published.js';
import { PreconditionError, UsageError } from '../errors.js';
import { releaseOutputs, writeCiOutputs } from '../ui/ci-outputs.js';
import { describeCommits, describeLifecycle } from '../ui/describe.js';
import { printJson } from '../ui/output.js';
import { parseTrack, prepare, type Prepared } from '../engine/prepare.js';
import { openPlanning, releaseBranch, type LifecycleOptions } from '../engine/lifecycle.js';
import type { Session } from '../engine/session.js';
import type { ParsedCommit } from '../core/commits.js';
import { isHotfix, type ReleaseView } from '../core/lifecycle/fold.js';
import { settled } from '../core/lifecycle/environments.js';
import type { ReleaseTag } from '../core/tags.js';
import type { Track, VersionResult } from '../core/version.js';
import { hotfixBranch } from '../core/hotfix.js';
import { hotfixFor, hotfixLine, hotfixPlanData, type HotfixComputation } from '../engine/hotfix-plan.js';
import { planTarget, targetLines, targetWarnings } from '../ui/schedule.js';

export interface PlanOptions extends LifecycleOptions {
  pre?: string;
  releaseAs?: string;
  track?: string;
  reason?: string;
  incident?: string;
  replace?: boolean;
  dotenv?: string;
  /** Commits to pick onto the release in production (the emergency track): a hotfix. */
  pick?: string[];
  /** The release's deadline: a day, a local time in calendars.timezone, or an RFC 3339 instant. */
  target?: string;
}

/**
 * The commits that decided the bump (those asking for the highest level), ten at most. On the
 * emergency track the reason for a patch is the track itself; features and breaking changes in it
 * are what the warnings list.
 */
function why(result: VersionResult, hotfix = false): string[] {
  const { bump, reasons } = result;
  if (result.track === 'emergency' && bump === 'patch') {
    return [`Why patch: the emergency track (--track emergency) always releases a patch of ${hotfix ? `the release it starts from (${result.previousTag})` : 'the last release'}`, ...result.warnings.map((w) => `  warning: ${w}`), ''];
  }
  if (reasons.length === 0) return [];
  const rank = (r: BumpReason): number => (r.bump === 'release-as' ? 4 : LEVEL_RANK[r.bump]);
  const top = Math.max(...reasons.map(rank));
  const deciding = reasons.filter((r) => rank(r) === top);
  // A non-conventional message can still carry a BREAKING CHANGE footer: show it as it was written.
  const lines = deciding.slice(0, 10).map((r) => `  ${r.hash} ${r.type === null ? `${r.subject} (BREAKING CHANGE footer)` : `${r.type}${r.scope ? `(${r.scope})` : ''}${r.breaking ? '!' : ''}: ${r.subject}`}`);
  if (deciding.length > 10) lines.push(`  … and ${deciding.length - 10} more`);
  return [`Why ${bump}:`, ...lines, ''];
}

/** `relmgr plan`: opens a release — version, commit, reasons, the gates ahead — and records it. */
export async function run(ctx: Context, options: PlanOptions): Promise<number> {
  const track = parseTrack(options.track) ?? 'normal';
  const prepared = await prepare(ctx, options);
  const { git, info, settings, loaded } = prepared;
  const emergency = loaded.config?.tracks.emergency;
  if (track === 'emergency') {
    // An emergency says why, unless the config says otherwise (tracks.emergency.require.reason: false).
    const pattern = emergency?.require?.incident;
    const needsReason = (emergency?.require?.reason ?? true) && !options.reason;
    const badIncident = pattern !== undefined && !(options.incident && new RegExp(pattern).test(options.incident));
    if (needsReason || badIncident) {
      // The hint keeps what was given and fills in what is missing.
      const incident = pattern === undefined ? '' : ` --incident ${badIncident ? '<id>' : options.incident}`;
      const hint = `relmgr plan --track emergency${incident} --reason ${options.reason ? JSON.stringify(options.reason) : '"…"'}${options.replace ? ' --replace' : ''}${options.replace ? '' : ' (with --replace when a release is open)'}`;
      const message = needsReason && badIncident ? `the emergency track requires --reason "<why>" and --incident matching ${pattern}` : needsReason ? 'the emergency track requires --reason "<why>"' : `the emergency track requires --incident matching ${pattern}`;
      throw new UsageError('E_TRACK', message, { hint });
    }
  }
  // A bad target is refused before anything is computed or recorded.
  const target = planTarget(loaded.config, options.target, track, ctx.wallClock.now());
  const picks = options.pick ?? [];
  if (picks.length > 0 && (track !== 'emergency' || options.releaseAs !== undefined)) {
    throw new UsageError('E_USAGE', `--pick makes a hotfix, which is ${track === 'emergency' ? 'always a patch (--release-as does not apply)' : 'the emergency track'}`, { hint: `relmgr plan --track emergency --reason "…" --pick ${picks.join(' ')}` });
  }
  const hotfix = picks.length > 0 ? await hotfixFor(ctx, prepared, { picks, pre: options.pre, again: againCommand(options) }) : null;
  const { result, commits, lastRelease } = hotfix ? { ...hotfix, lastRelease: hotfix.base.tag } : await computeNext(git, settings, { fs: ctx.fs, pre: options.pre, releaseAs: options.releaseAs, track, detail: 'full' }, info);
  const session = await openPlanning(ctx, prepared, options, result.next !== null && result.tag !== null ? result.next : null);
  try {
    // A hotfix opens beside a normal release on its way: only an open hotfix is in its way.
    const open = hotfix && session.state.open && !isHotfix(session.state.open) ? null : session.state.open;
    if (open && !options.replace && (open.state === 'failed' || open.interrupted)) {
      const releaseGit = ctx.releaseGit(info.root, session.network.timeoutMs);
      const head = await releaseGit.head();
      const behind = !(await releaseGit.hasCommit(open.base)) || (await releaseGit.isAncestor(head.hash, open.base));
      const failure = openFailure(open, head, behind);
      if (failure) return await reportOpenFailure(ctx, options, open, failure, session.releaseRemote);
    }
    if ((result.next === null || result.tag === null) && options.replace && open && !options.dryRun) {
      // Nothing new to release: the open release is not replaced, and saying "nothing to release" with exit 0 would hide that.
      throw new PreconditionError('E_STATE', `nothing to replace ${open.version} with: ${result.message ?? 'no commits since the last release'}; ${open.version} stays open (${open.state})`, {
        hint: `commit the fix, then relmgr plan --replace${options.reason ? ` --reason ${JSON.stringify(options.reason)}` : ' --reason "…"'} (or abandon it: relmgr abort --reason "…")`,
      });
    }
    if (result.next === null || result.tag === null) {
      for (const warning of result.warnings) ctx.stderr.write(`warning: ${warning}\n`);
      ctx.stderr.write(`${result.message ?? 'nothing to release'}\n`);
      if (options.json) printJson(ctx.stdout, { planned: false, next: null, reason: result.message ?? 'nothing to release', warnings: result.warnings });
      await writeCiOutputs(ctx, releaseOutputs({ version: '', tag: '', state: 'none', released: false }), { dotenv: options.dotenv, command: 'relmgr plan: nothing to release' });
      return 0;
    }
    return await record(ctx, options, { prepared, session, result, commits, lastRelease, track, hotfix, target });
  } finally {
    await session.close();
  }
}

/**
 * An open release whose phase failed or was interrupted is not planned over: `plan` says so (exit
 * 0, so a CI job can act on it) and names what continues it — `relmgr resume` when it can go on
 * from HEAD, else `relmgr plan --replace` (a fix was committed since: a new release supersedes it).
 */
async function reportOpenFailure(ctx: Context, options: PlanOptions, open: ReleaseView, failure: OpenFailure, remote: string | null): Promise<number> {
  const state = open.interrupted ? 'interrupted' : 'failed';
  const next = failure.resumable ? 'resume' : 'replace';
  // A cut that failed after its steps (a refused push) repeats its own advice: resuming may fail the same way.
  const recorded = recordedFailure(open);
  const command =
    failure.resumable && recorded.kind !== null && recorded.kind !== 'E_STEP_FAILED' && recorded.hint !== null
      ? recorded.hint
      : failure.resumable
        ? failure.phase === 'test' || failure.phase === 'deploy'
          ? `${remote ? `git fetch --tags ${remote}, then ` : ''}git checkout ${open.tag} (if HEAD is not there), then relmgr resume`
          : failure.behind
            ? `relmgr resume in the clone that planned it (HEAD here is behind its planned commit ${open.base.slice(0, 7)}; or here: ${remote ? `git fetch ${remote}, then ` : ''}git checkout ${open.base.slice(0, 7)}, then relmgr resume)`
            : 'relmgr resume'
        : 'relmgr plan --replace --reason "…"';
  if (options.json) {
    printJson(ctx.stdout, { planned: false, open: { version: open.version, tag: open.tag, state, phase: failure.phase, ...(failure.env === undefined ? {} : { environment: failure.env }) }, next: command });
  } else {
    const why = failure.resumable ? '' : ` HEAD has moved past it (a fix was committed since), so it cannot continue here: a new release supersedes it (its tag, if published, stays).`;
    ctx.stdout.write(`Not planned: release ${open.version} is open, and its ${phaseLabel({ phase: failure.phase, env: failure.env ?? null })} phase ${state === 'failed' ? 'failed' : 'was interrupted'}.${why}\nNext: ${command}\n`);
  }
  await writeCiOutputs(ctx, releaseOutputs({ version: open.version, tag: open.tag, state, released: false }, { phase: failure.phase, next }), { dotenv: options.dotenv, command: `relmgr plan: ${open.version} is open`, next: command });
  return 0;
}

/** The command that plans this again (for hints): the same track, reason, incident and picks. */
function againCommand(options: PlanOptions): string {
  const quote = (text: string): string => JSON.stringify(text);
  return `relmgr plan --track emergency${options.incident ? ` --incident ${options.incident}` : ''} --reason ${options.reason ? quote(options.reason) : '"…"'}${options.replace ? ' --replace' : ''}${options.pick?.length ? ` --pick ${options.pick.join(' ')}` : ''}`;
}

interface Planned {
  prepared: Prepared;
  session: Session;
  result: VersionResult;
  commits: ParsedCommit[];
  lastRelease: ReleaseTag | null;
  track: Track;
  hotfix: HotfixComputation | null;
  target: ReturnType<typeof planTarget>;
}

async function record(ctx: Context, options: PlanOptions, { prepared, session, result, commits, lastRelease, track, hotfix, target }: Planned): Promise<number> {
  const { info, settings, loaded } = prepared;
  if (result.next === null || result.tag === null) return 0;
  const open = blocking(session.state, loaded.config, hotfix !== null);
  if (open && !options.replace) {
    throw new PreconditionError('E_RELEASE_OPEN', `release ${open.version} is already open (${open.state})`, {
      hint: `finish it (relmgr status), abandon it (relmgr abort --reason "…"), or replace it: ${hotfix ? againCommand({ ...options, replace: true }) : 'relmgr plan --replace'}`,
    });
  }
  // A phase that runs (here, or on another machine) is not replaced under it: its steps would publish a release nobody owns.
  if (open && options.replace) refuseRunning(open, session.here, { takeoverWith: `relmgr abort --takeover --reason "…", then relmgr plan` });
  if (open && options.replace && !options.reason) {
    const published = await publishedOn(ctx.releaseGit(info.root, session.network.timeoutMs), session.releaseRemote, open);
    if (published !== null) {
      throw new UsageError('E_REASON_REQUIRED', `the tag ${open.tag} of ${open.version} is already published on ${published}: replacing it needs a reason for the record`, {
        details: [`the tag stays published; ${open.version} is recorded as abandoned (superseded by the new release), never deleted`],
        hint: `relmgr plan --replace --reason "why ${open.version} is superseded"`,
      });
    }
  }
  const hotfixData = hotfix ? hotfixPlanData(hotfix, result.next) : null;
  const branch = hotfixData ? hotfixBranch(result.next) : await releaseBranch(ctx, prepared);
  // A hotfix's branch is its own (hotfix/<version>): accepted whatever versioning.branches says.
  const allowed = hotfixData ? [hotfixBranch(result.next)] : (loaded.config?.versioning.branches ?? ['main', 'master']).map((b) => (typeof b === 'string' ? b : b.name));
  await checkPlan({
    version: result.next,
    tag: result.tag,
    head: hotfix?.base.tag.commit ?? info.head ?? 'HEAD',
    ...(hotfix ? { hotfixBranch: hotfixBranch(result.next) } : {}),
    branch,
    allowedBranches: allowed,
    config: loaded.config,
    releaseGit: ctx.releaseGit(info.root, session.remoteWaitMs),
    remote: session.releaseRemote,
    state: session.state,
    replacing: open,
    again: `relmgr plan${options.replace ? ' --replace' : ''}${options.reason ? ` --reason ${JSON.stringify(options.reason)}` : ''}`,
    warn: (text) => ctx.stderr.write(`${text}\n`),
  });
  const data = {
    version: result.next,
    tag: result.tag,
    track,
    bump: result.bump,
    base: info.head,
    branch,
    previousVersion: result.current,
    previousTag: result.previousTag,
    range: `${lastRelease?.name ?? ''}${lastRelease ? '..' : ''}${info.head?.slice(0, 12)}`,
    commits: result.commits,
    reasons: result.reasons,
    ...(options.reason ? { reason: options.reason } : {}),
    ...(options.incident ? { incident: options.incident } : {}),
    ...hotfixData,
    ...target,
  };
  let replaced = open;
  const version = result.next;
  // Shared by a compare-and-swap push: when another machine planned first, its plan stands.
  await session.decide(`the plan of ${version}`, (state) => {
    replaced = concurrentPlan(state, loaded.config, open, version, session.here, hotfix !== null);
    const events = [];
    if (replaced) events.push(session.event('release.abandoned', replaced.version, { reason: `replaced by ${version}${options.reason ? `: ${options.reason}` : ''}` }));
    events.push(session.event('release.planned', version, data));
    return events;
  });
  const recorded = session.recorded;
  // An approval this initiator can never get (they are needed, and may not approve their own release).
  const planned = session.state.releases.find((r) => r.version === version && !r.abandoned);
  // The release before, out in production but never closed: the plan goes on; it says how to record that one's end.
  const before = open === null ? session.state.releases.findLast((r) => r.version !== version && r.state !== 'closed' && r.state !== 'abandoned' && settled(r, loaded.config) && r.state !== 'tested') : undefined;
  const unclosed = before && !hotfix ? [`${before.version} (${before.state}) is not closed: record how it went with relmgr close --release ${before.version} --note "…"`] : [];
  const warnings = [...result.warnings, ...targetWarnings(loaded.config, options.target, target, ctx.wallClock.now()), ...(planned ? unpassableApprovals(loaded.config, planned) : []), ...unclosed];
  for (const warning of warnings) ctx.stderr.write(`warning: ${warning}\n`);
  if (options.json) {
    printJson(ctx.stdout, { planned: recorded, ...data, initiator: session.actor, replaced: replaced?.version ?? null, warnings });
  } else {
    const out: string[] = [
      `${recorded ? 'Planned' : 'Would plan'} ${await projectName(ctx.fs, info.root, settings.project)} ${result.next} (${result.bump}${result.current ? ` from ${result.current}` : ''}, ${track} track)`,
      hotfix
        ? `  tag ${result.tag} on ${branch} (cut creates it from ${hotfix.base.tag.name})`
        : `  tag ${result.tag} at ${info.head?.slice(0, 7)}${branch ? ` on ${branch}` : ''}, ${result.commits} commit${result.commits === 1 ? '' : 's'} since ${result.previousTag ?? 'the start'}`,
      ...(hotfix ? [hotfixLine(hotfix)] : []),
      `  initiator ${session.actor.name} <${session.actor.email}>${replaced ? `; replaced ${replaced.version} (recorded as abandoned)` : ''}`,
      ...targetLines(loaded.config, target, ctx.wallClock.now()).map((l) => `  ${l}`),
      '',
      ...why(result, hotfix !== null),
      'Commits:',
      ...describeCommits(commits).map((l) => `  ${l}`),
      '',
      'Ahead:',
      ...describeLifecycle(loaded.config).map((l) => `  ${l}`),
      '',
      recorded ? `Next: ${nextAfterPlan(ctx, loaded.config, session, version)}` : 'Nothing was recorded (--dry-run). To plan: relmgr plan',
    ];
    ctx.stdout.write(`${out.join('\n')}\n`);
  }
  await writeCiOutputs(ctx, releaseOutputs({ version: result.next, tag: result.tag, state: recorded ? 'planned' : 'none', released: recorded }), {
    dotenv: options.dotenv,
    command: `relmgr plan: ${recorded ? 'planned' : 'would plan'} ${result.next}`,
    ...(recorded ? { next: nextAfterPlan(ctx, loaded.config, session, version) } : {}),
  });
  return 0;
}

/** `relmgr cut`, after the decisions its gates wait for (the approval or checklist to record first, and who may). */
function nextAfterPlan(ctx: Context, config: Config | null, session: Session, version: string): string {
  const release = session.state.releases.find((r) => r.version === version && !r.abandoned);
  if (!release) return 'relmgr cut';
  const now = ctx.wallClock.now();
  return nextWithGates(config, release, releaseGateStates(config, release, now), 'relmgr cut', now);
}
