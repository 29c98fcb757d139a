import { randomBytes } from 'node:crypto';
import type { Host } from '../adapters/lock.js';
import type { Context } from '../context.js';
import { compareEvents, type Actor, type EventType, type LedgerEvent, type PhaseName } from '../core/lifecycle/events.js';
import { deployments, isDeploymentEvent, type Deployment } from '../core/lifecycle/deployments.js';
import { LedgerFold, lastPlanned, type LedgerState } from '../core/lifecycle/fold.js';
import { RelmgrError, RuntimeError } from '../errors.js';
import { Ledger, ledgerRemote, ledgerSettings, unreadableWarnings } from '../ledger/ledger.js';
import { identity } from './identity.js';
import { NETWORK_TIMEOUT_ENV, networkTimeouts, type NetworkTimeouts } from '../core/network.js';
import { judgeLiveness } from './liveness.js';
import type { Prepared } from './config.js';
import { attachNotifier, type AttachedNotifier, type Notifier } from './notifier.js';

/** Where an event happened: its phase, environment, and the attempt (the phase.started id) it belongs to. */
export interface EventWhere {
  phase?: PhaseName;
  env?: string;
  attempt?: string;
}

/** A command's view of the ledger: synced, folded, and able to record what happens next. */
export interface Session {
  ledger: Ledger;
  actor: Actor;
  state: LedgerState;
  /** Builds an event stamped with this session's actor and a strictly increasing time. */
  event(type: EventType, release: string, data: Record<string, unknown>, where?: EventWhere): LedgerEvent;
  /**
   * Appends, then refolds. Phase and release events are pushed at once (other machines see the
   * release move); step and effect events go with the next push or `flush`.
   */
  record(...events: LedgerEvent[]): Promise<void>;
  /**
   * Records a decision other machines must see (a plan, an abandon, a push): `build` makes its
   * events from the state, they are shared by a compare-and-swap push, and when another machine
   * changed the shared ledger first, `build` is asked again with what it recorded (and may throw).
   * A push that fails for good keeps the events here and throws: the decision is not shared yet.
   */
  decide(what: string, build: (state: LedgerState) => LedgerEvent[]): Promise<void>;
  /** Pushes what is not pushed yet. A push that fails is a warning, never a failure of the release. */
  flush(): Promise<void>;
  /** A warning for the person running the command (stderr). */
  warn(message: string): void;
  refresh(): Promise<LedgerState>;
  /** Fetches and merges the remote ledger (waiting no longer than a read), then folds again: what another machine decided meanwhile. */
  sync(): Promise<LedgerState>;
  /** What every environment ran, across every release (the deploy and rollback summaries), oldest first; with what this session recorded. */
  deployments(): Promise<Deployment[]>;
  /** The remote releases are pushed to (independent of the ledger's push setting), or null. */
  releaseRemote: string | null;
  /** How long git may wait on a remote (network.timeout, RELMGR_NETWORK_TIMEOUT). */
  network: NetworkTimeouts;
  /**
   * How long this command waits on a remote: the full timeout for one that records, the short read
   * timeout for one that only reads (a dry run, status), which then goes on without the remote.
   */
  remoteWaitMs: number;
  /** Releases the clone's lock, if this session took one. */
  close(): Promise<void>;
  /** The events read when the session opened (every release's with `all`), oldest first. */
  readonly events: readonly LedgerEvent[];
  /**
   * relmgr is being stopped by a signal: appends the event, pushes it best-effort (waiting no longer
   * than a read would) and releases the lock. Never throws: the process dies of the signal next.
   */
  stopping(event: LedgerEvent): Promise<void>;
  /** Whether what is recorded reaches the ledger (false for a dry run, which keeps it in memory). */
  recorded: boolean;
  /** Announces what is recorded to the config's `notify:` targets (null when there are none, or with `notify: false`). */
  notifier: Notifier | null;
  /** This machine: phase.started records its host and pid; liveness of running phases is judged against it. */
  here: Host;
}

/**
 * Opens the ledger: fetch and merge the remote's first (decisions are made on shared state).
 * Events carry the real time — never SOURCE_DATE_EPOCH, which pins documents' dates only — and
 * always later than every event already read, so a machine with a slow clock cannot reorder history.
 */
export interface SessionOptions {
  write: boolean;
  /** Take the clone's lock (mutating lifecycle commands), naming the command for whoever waits. */
  lock?: string;
  /** A release to read besides the open one (`--release V`). */
  release?: string | undefined;
  /** Require a git identity (default: `write`); a dry run asks for it as the real command would. */
  identity?: boolean;
  /** Fetch the remote ledger on opening (default true; `ledger sync` fetches on its own). */
  pull?: boolean;
  /**
   * Keep what is recorded in memory only (a dry run): events are folded into the state as if
   * recorded, and the ledger is never written.
   */
  memory?: boolean;
  /** Announce what is recorded to the config's `notify:` targets (default true; a dry run says what it would send). */
  notify?: boolean;
  /** Read every release's events, not only the newest ones (a report over the whole history): one read of the ledger. */
  all?: boolean;
  /** With `all`: only the events whose file name this picks (a report needs no step events). */
  pick?: (name: Pick<LedgerEvent, 'release' | 'at' | 'id' | 'type'>) => boolean;
}

export async function openSession(ctx: Context, prepared: Prepared, options: SessionOptions): Promise<Session> {
  const actor = await identity(prepared, options.identity ?? options.write);
  const store = ctx.ledgerStore(prepared.info.root);
  const settings = ledgerSettings(prepared.loaded.config);
  const network = networkTimeouts(prepared.loaded.config?.network, ctx.env[NETWORK_TIMEOUT_ENV]);
  const remotes = await store.remotes();
  const remote = ledgerRemote(settings.remote, settings.push, remotes);
  const releaseRemote = settings.remote ?? (remotes.includes('origin') ? 'origin' : null);
  const ledger = new Ledger(
    store,
    { branch: settings.branch, remote, timeoutMs: network.timeoutMs, redact: ctx.secrets.redact },
    { name: actor.name, email: actor.email || 'relmgr@localhost' },
  );
  const lock = options.lock ? await ctx.lock(await store.gitPath('relmgr.lock'), options.lock) : null;
  try {
    // Reading waits briefly (then shows the local ledger); a decision waits up to the full timeout.
    if (options.pull !== false) await ledger.pull(options.write ? network.timeoutMs : network.readTimeoutMs);
  } catch (error) {
    // Reading may go on with the local ledger; a decision may not be taken on stale state.
    if (options.write) {
      await lock?.release();
      throw error;
    }
    ctx.stderr.write(`warning: ${(error as Error).message}; showing the local ledger\n`);
  }
  // Only the newest release (and --release) is read: which one is open follows from file names alone.
  let last = 0;
  const select = (names: (Pick<LedgerEvent, 'release' | 'at' | 'id' | 'type'> | null)[]): Set<string> => {
    const lifecycle: LedgerEvent[] = [];
    for (const name of names) {
      if (name === null) continue;
      last = Math.max(last, Date.parse(name.at) || 0);
      if (name.type === 'release.planned' || name.type === 'release.abandoned') lifecycle.push({ v: 1, ...name, actor: actor, data: {} });
    }
    const wanted = new Set<string>(options.release ? [options.release.replace(/^v(?=\d)/, '')] : []);
    for (const version of lastPlanned(lifecycle, 3)) wanted.add(version);
    return wanted;
  };
  const events = await ledger.read(options.all === true ? undefined : select, options.pick);
  for (const warning of unreadableWarnings(ledger.unreadable)) ctx.stderr.write(`warning: ${warning}\n`);
  const here = ctx.host;
  let folded = new LedgerFold(events);
  const fold = (events: readonly LedgerEvent[]): LedgerState => {
    folded = new LedgerFold(events);
    return judgeLiveness(folded.state, here);
  };
  let state = judgeLiveness(folded.state, here);
  const memory = options.memory === true;
  /** What a dry run recorded (in memory only). */
  const recordedHere: LedgerEvent[] = [];
  let unpushed = false;
  // After one push that timed out, the others in this command would time out too: record, then sync later.
  let unreachable = false;
  const clock = ctx.wallClock;
  let notices: AttachedNotifier | null = null;
  const session: Session = {
    ledger,
    actor,
    events,
    get state() {
      return state;
    },
    event(type, release, data, where = {}) {
      const now = Math.max(clock.now().getTime(), last + 1);
      last = now;
      return {
        v: 1,
        id: randomBytes(4).toString('hex'),
        type,
        release,
        ...(where.phase ? { phase: where.phase } : {}),
        ...(where.env ? { env: where.env } : {}),
        at: new Date(now).toISOString(),
        actor,
        // The attempt an event belongs to travels with it, so a run that was taken over never writes into another.
        data: where.attempt ? { ...data, phaseAttempt: where.attempt } : data,
      };
    },
    async record(...events) {
      if (!memory) {
        await ledger.append(events);
        unpushed = true;
      } else recordedHere.push(...events);
      // Folded as recorded: the ledger is not read again for each event (a phase records many).
      state = judgeLiveness(folded.add(events), here);
      // Other machines must see a phase start at once, and the start of a step that is not safe to run
      // twice: a takeover must know it may have run (an idempotent one simply runs again).
      // The process group of a deploy's or rollback's step too: another clone on this host judges from it
      // whether the environment's lock is still held after relmgr was killed.
      if (events.some((e) => e.type.startsWith('phase.') || e.type.startsWith('release.') || (e.type === 'step.started' && e.data.idempotent !== true) || (e.type === 'step.spawned' && (e.phase === 'deploy' || e.phase === 'rollback')))) await session.flush();
      await notices?.announce(events);
    },
    async decide(what, build) {
      // Events recorded before and not pushed yet (steps, effects) go with it: it is built on the local branch.
      for (let attempt = 0; attempt < MAX_DECISIONS; attempt++) {
        const events = build(state);
        if (memory) return session.record(...events);
        let outcome: 'shared' | 'raced' | 'local';
        try {
          outcome = await ledger.publish(events);
        } catch (error) {
          state = fold(await ledger.read(select));
          throw notShared(what, error);
        }
        if (outcome === 'raced') {
          // Another machine changed the shared ledger first: decide again on what it recorded.
          await ledger.pull();
          state = fold(await ledger.read(select));
          continue;
        }
        if (outcome === 'shared') unpushed = false;
        state = fold(await ledger.read(select));
        await notices?.announce(events);
        return;
      }
      throw new RuntimeError('E_LEDGER_RACE', `could not share ${what}: the shared ledger kept moving under ${MAX_DECISIONS} attempts`, { hint: 'see where things stand with relmgr status, then run the command again' });
    },
    warn(message) {
      ctx.stderr.write(`warning: ${message}\n`);
    },
    async flush() {
      if (memory || !unpushed || remote === null || unreachable) return;
      try {
        const merges = ledger.merges;
        await ledger.push();
        unpushed = false;
        // The push brought in another machine's events (a takeover, say): fold them in.
        if (ledger.merges !== merges) state = fold(await ledger.read(select));
      } catch (error) {
        unreachable = (error as { code?: unknown }).code === 'E_NETWORK_TIMEOUT';
        ctx.stderr.write(`warning: the ledger was recorded here but not pushed (${(error as Error).message}); share it later with: relmgr ledger sync\n`);
      }
    },
    releaseRemote,
    network,
    remoteWaitMs: options.write ? network.timeoutMs : network.readTimeoutMs,
    async close() {
      await notices?.end();
      await session.flush();
      await lock?.release();
    },
    async stopping(event) {
      if (memory) return;
      try {
        await ledger.append([event]);
        if (remote !== null && !unreachable) await ledger.push(network.readTimeoutMs);
      } catch (error) {
        ctx.stderr.write(`warning: the interruption was not ${remote === null ? 'recorded' : 'pushed'} (${(error as Error).message}); share it later with: relmgr ledger sync\n`);
      }
      await lock?.release().catch(() => undefined);
    },
    here,
    recorded: !memory,
    notifier: null,
    async refresh() {
      state = fold(await ledger.read(select));
      return state;
    },
    async deployments() {
      // Every release's summaries from the ledger (a dry run reads them too: it predicts the real
      // outcome), plus what a dry run recorded in memory only.
      const read = await ledger.readPicked(isDeploymentEvent);
      const ids = new Set(read.map((e) => e.id));
      const mine = memory ? recordedHere.filter((e) => isDeploymentEvent(e) && !ids.has(e.id)) : [];
      return deployments([...read, ...mine].sort(compareEvents));
    },
    async sync() {
      // A dry run's events live in memory only: reading the ledger again would drop them.
      if (memory) return state;
      try {
        await ledger.pull(network.readTimeoutMs);
      } catch (error) {
        ctx.stderr.write(`warning: ${(error as Error).message}; looking at the local ledger\n`);
      }
      return session.refresh();
    },
  };
  notices = attachNotifier(ctx, prepared, session, { enabled: options.notify !== false && (options.write || memory), memory });
  session.notifier = notices.notifier;
  return session;
}

const MAX_DECISIONS = 10;

/** A decision recorded here whose push failed for good: not a success, whatever the push said. */
function notShared(what: string, error: unknown): RelmgrError {
  const cause = error instanceof RelmgrError ? error : null;
  return new RelmgrError(cause?.code ?? 'E_LEDGER_PUSH', `${what} was recorded here, but the ledger could not be shared: ${(error as Error).message}`, {
    cause: error,
    details: ['other machines do not see it until the ledger is pushed'],
    hint: 'share it with: relmgr ledger sync (then relmgr status shows where things stand)',
  });
}

export { targetRelease } from './target-release.js';
