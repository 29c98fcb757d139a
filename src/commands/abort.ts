import type { Context } from '../context.js';
import { refuseRunning } from '../engine/liveness.js';
import { recordTakeover } from '../engine/phase-runner.js';
import { afterAbandon, nextCommand, releaseCommit } from '../core/lifecycle/next.js';
import { deployedTo, productionEnvironments, replacedIn } from '../core/lifecycle/environments.js';
import { publishedOn } from '../engine/published.js';
import { openSession, targetRelease, type Session } from '../engine/session.js';
import { PreconditionError, RelmgrError, UsageError } from '../errors.js';
import { isInteractive } from '../ui/interactive.js';
import { printJson } from '../ui/output.js';
import { prepare, type GlobalOptions, type Prepared } from '../engine/prepare.js';

export interface AbortOptions extends GlobalOptions {
  reason?: string;
  release?: string;
  yes?: boolean;
  nonInteractive?: boolean;
  takeover?: boolean;
}

/**
 * `relmgr abort`: abandons the open release (or `--release V`) unless a production-tier
 * environment runs it. Nothing open: exit 3. On a terminal it asks first (`--yes` answers); without one it
 * proceeds, so scripts keep working. A published tag stays: the release is recorded as abandoned.
 */
export async function run(ctx: Context, options: AbortOptions): Promise<number> {
  const prepared = await prepare(ctx, options);
  const session = await openSession(ctx, prepared, { write: true, lock: 'relmgr abort', release: options.release });
  try {
    return await abort(ctx, options, prepared, session);
  } finally {
    await session.close();
  }
}

/** The abort command as it was run: its --reason and --release go with every hint that repeats it. */
function again(options: AbortOptions): string {
  const quote = (text: string): string => `"${text.replace(/(["\\$`])/g, '\\$1')}"`;
  return ['relmgr abort', ...(options.release ? ['--release', options.release] : []), ...(options.reason ? ['--reason', quote(options.reason)] : [])].join(' ');
}

async function abort(ctx: Context, options: AbortOptions, prepared: Prepared, session: Session): Promise<number> {
  // Nothing open because the newest release was abandoned: say that, not "no open release".
  const newest = session.state.releases.at(-1);
  const release = options.release === undefined && session.state.open === null && newest?.state === 'abandoned' ? newest : targetRelease(session.state, options.release);
  if (release.state === 'abandoned') {
    throw new PreconditionError('E_ABANDONED', `release ${release.version} is already abandoned`, { hint: nextCommand(release) });
  }
  // A phase that runs (here, or on another machine) is not pulled out from under it: its steps would publish a release nobody owns.
  // A run on another host that is gone for good (its machine died) is taken over first, and recorded.
  const stale = refuseRunning(release, session.here, { takeover: options.takeover === true, takeoverWith: `${again(options)} --takeover` });
  if (stale) await recordTakeover(session, release, stale);
  // Production runs it: abandoning would leave the ledger saying nothing runs there. Staging may run an abandoned release.
  const config = prepared.loaded.config;
  const replaced = new Set(replacedIn(release, config, await session.deployments()).map((r) => r.env));
  const production = productionEnvironments(config).filter((env) => deployedTo(release, env) && !replaced.has(env));
  if (production.length > 0) {
    throw new PreconditionError('E_DEPLOYED', `release ${release.version} runs in ${production.join(', ')}: it cannot be abandoned`, {
      hint: `roll it back: relmgr rollback ${production[0]} --reason "…", or record how it ended: relmgr close --note "…"`,
    });
  }
  const published = await publishedOn(ctx.releaseGit(prepared.info.root, session.network.timeoutMs), session.releaseRemote, release);
  if (published !== null && !options.reason) {
    throw new UsageError('E_REASON_REQUIRED', `the tag ${release.tag} of ${release.version} is already published on ${published}: abandoning it needs a reason for the record`, {
      details: [`the tag stays published; ${release.version} is recorded as abandoned (superseded), never deleted`],
      hint: `relmgr abort --reason "why ${release.version} is superseded"`,
    });
  }
  if (isInteractive(ctx, options)) {
    const what = published ? ` (its tag ${release.tag} stays published on ${published})` : '';
    if (!(await ctx.prompts(again(options)).confirm(`Abandon release ${release.version} (${release.state})${what}?`, false))) {
      throw new RelmgrError('E_ABORTED', `aborted: ${release.version} was not abandoned, nothing was written`, { hint: `nothing to do; to abandon it after all: ${again(options)} --yes` });
    }
  }
  // Other machines must see it: a push that fails for good is an error (recorded here; relmgr ledger sync shares it).
  await session.decide(`the abandon of ${release.version}`, (state) => {
    // Started on another machine while this one asked: refused there too.
    const now = state.releases.find((r) => r.version === release.version && r.plannedAt === release.plannedAt);
    if (now && !stale) refuseRunning(now, session.here);
    return [
      session.event('release.abandoned', release.version, { reason: options.reason ?? null, state: release.state, ...(published ? { published } : {}) }),
    ];
  });
  if (options.json) {
    printJson(ctx.stdout, { version: release.version, state: 'abandoned', reason: options.reason ?? null, tagPublished: published !== null });
    return 0;
  }
  const kept = published
    ? ` Its tag ${release.tag} stays published on ${published}: the release is recorded as abandoned (superseded), never deleted.`
    : release.phases.build.state === 'succeeded'
      ? ` Its tag ${release.tag} and release commit stay in git.`
      : '';
  // Its tag stays (a plan from the same commit finds nothing new), unless its refused push's recipe removes it.
  const commit = releaseCommit(release);
  const here = commit === null || (await ctx.releaseGit(prepared.info.root, session.network.timeoutMs).hasCommit(commit));
  const next = afterAbandon(release, { remote: published === null ? session.releaseRemote : null, commitHere: here }) ?? 'relmgr plan';
  ctx.stdout.write(`Abandoned ${release.version}${options.reason ? `: ${options.reason}` : ''}.${kept}\nNext: ${next}\n`);
  return 0;
}

