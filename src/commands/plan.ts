import type { Context } from '../context.js';
import { LEVEL_RANK, type BumpReason } from '../core/bump.js';
import { computeNext } from '../engine/next-version.js';
import { projectName } from '../engine/project.js';
import { openSession } from '../engine/session.js';
import { PreconditionError, UsageError } from '../errors.js';
import { writeCiOutputs } from '../ui/ci-outputs.js';
import { describeCommits, describeLifecycle } from '../ui/describe.js';
import { printJson } from '../ui/output.js';
import { parseTrack, prepare, type GlobalOptions, type Prepared } from './shared.js';
import { releaseBranch } from './release-context.js';
import type { Session } from '../engine/session.js';
import type { ParsedCommit } from '../core/commits.js';
import type { ReleaseTag } from '../core/tags.js';
import type { Track, VersionResult } from '../core/version.js';

export interface PlanOptions extends GlobalOptions {
  pre?: string;
  releaseAs?: string;
  track?: string;
  reason?: string;
  incident?: string;
  replace?: boolean;
  dryRun?: boolean;
  dotenv?: string;
}

/** The commits that decided the bump (those asking for the highest level), ten at most. */
function why(bump: string, reasons: readonly BumpReason[]): string[] {
  if (reasons.length === 0) return [];
  const top = Math.max(...reasons.map((r) => LEVEL_RANK[r.bump]));
  const deciding = reasons.filter((r) => LEVEL_RANK[r.bump] === top);
  const lines = deciding.slice(0, 10).map((r) => `  ${r.hash} ${r.type}${r.scope ? `(${r.scope})` : ''}${r.breaking ? '!' : ''}: ${r.subject}`);
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
    if (emergency?.require?.reason && !options.reason) throw new UsageError('E_TRACK', 'the emergency track requires --reason "<why>"', { hint: 'relmgr plan --track emergency --reason "…"' });
    const pattern = emergency?.require?.incident;
    if (pattern && !(options.incident && new RegExp(pattern).test(options.incident))) {
      throw new UsageError('E_TRACK', `the emergency track requires --incident matching ${pattern}`, { hint: 'relmgr plan --track emergency --incident INC-42 --reason "…"' });
    }
  }
  const { result, commits, lastRelease } = await computeNext(git, settings, { pre: options.pre, releaseAs: options.releaseAs, track, detail: 'full' }, info);
  if (result.next === null || result.tag === null) {
    ctx.stderr.write(`${result.message ?? 'nothing to release'}\n`);
    if (options.json) printJson(ctx.stdout, { planned: false, next: null, reason: result.message ?? 'nothing to release' });
    return 0;
  }
  const session = await openSession(ctx, prepared, { write: !options.dryRun, ...(options.dryRun ? {} : { lock: 'relmgr plan' }) });
  try {
    return await record(ctx, options, { prepared, session, result, commits, lastRelease, track });
  } finally {
    await session.close();
  }
}

interface Planned {
  prepared: Prepared;
  session: Session;
  result: VersionResult;
  commits: ParsedCommit[];
  lastRelease: ReleaseTag | null;
  track: Track;
}

async function record(ctx: Context, options: PlanOptions, { prepared, session, result, commits, lastRelease, track }: Planned): Promise<number> {
  const { info, settings, loaded } = prepared;
  if (result.next === null || result.tag === null) return 0;
  // Until deploy and close exist, a tested release has gone as far as relmgr takes it: it does not block.
  const open = session.state.open?.state === 'tested' ? null : session.state.open;
  if (open && !options.replace) {
    throw new PreconditionError('E_RELEASE_OPEN', `release ${open.version} is already open (${open.state})`, {
      hint: `finish it (relmgr status), abandon it (relmgr abort --reason "…"), or replace it: relmgr plan --replace`,
    });
  }
  const branch = await releaseBranch(ctx, prepared);
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
  };
  if (!options.dryRun) {
    const events = [];
    if (open) events.push(session.event('release.abandoned', open.version, { reason: `replaced by ${result.next}` }));
    events.push(session.event('release.planned', result.next, data));
    await session.record(...events);
  }

  if (options.json) {
    printJson(ctx.stdout, { planned: !options.dryRun, ...data, initiator: session.actor, replaced: open?.version ?? null });
  } else {
    const out: string[] = [
      `${options.dryRun ? 'Would plan' : 'Planned'} ${await projectName(ctx.fs, info.root, settings.project)} ${result.next} (${result.bump}${result.current ? ` from ${result.current}` : ''}, ${track} track)`,
      `  tag ${result.tag} at ${info.head?.slice(0, 7)}${branch ? ` on ${branch}` : ''}, ${result.commits} commit${result.commits === 1 ? '' : 's'} since ${result.previousTag ?? 'the start'}`,
      `  initiator ${session.actor.name} <${session.actor.email}>${open ? `; replaced ${open.version} (recorded as abandoned)` : ''}`,
      '',
      ...why(result.bump, result.reasons),
      'Commits:',
      ...describeCommits(commits).map((l) => `  ${l}`),
      '',
      'Ahead:',
      ...describeLifecycle(loaded.config).map((l) => `  ${l}`),
      '',
      options.dryRun ? 'Nothing was recorded (--dry-run). To plan: relmgr plan' : 'Next: relmgr cut',
    ];
    ctx.stdout.write(`${out.join('\n')}\n`);
  }
  await writeCiOutputs(ctx, { version: result.next, tag: result.tag, state: options.dryRun ? 'none' : 'planned' }, { dotenv: options.dotenv });
  return 0;
}
