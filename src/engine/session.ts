import { randomBytes } from 'node:crypto';
import { createGitStore } from '../adapters/git-store.js';
import { systemClock, type Clock } from '../adapters/clock.js';
import type { Context } from '../context.js';
import type { Config } from '../core/config/schema.js';
import type { Actor, EventType, LedgerEvent, PhaseName } from '../core/lifecycle/events.js';
import { foldLedger, type LedgerState, type ReleaseView } from '../core/lifecycle/fold.js';
import { PreconditionError } from '../errors.js';
import { Ledger, ledgerRemote } from '../ledger/ledger.js';
import type { Prepared } from '../commands/shared.js';

/** A command's view of the ledger: synced, folded, and able to record what happens next. */
export interface Session {
  ledger: Ledger;
  actor: Actor;
  state: LedgerState;
  /** Builds an event stamped with this session's actor and a strictly increasing time. */
  event(type: EventType, release: string, data: Record<string, unknown>, where?: { phase?: PhaseName; env?: string }): LedgerEvent;
  /** Appends (and pushes, with a remote) — then refolds. */
  record(...events: LedgerEvent[]): Promise<void>;
  refresh(): Promise<LedgerState>;
}

export async function identity(prepared: Prepared, required: boolean): Promise<Actor> {
  const [name, email] = await Promise.all([prepared.git.configValue('user.name'), prepared.git.configValue('user.email')]);
  if ((!email || !name) && required) {
    throw new PreconditionError('E_NO_IDENTITY', 'relmgr records who did what, and git has no user.name/user.email here', {
      hint: 'set them: git config user.name "Your Name" && git config user.email you@example.com',
    });
  }
  return { name: name ?? 'unknown', email: email ?? '' };
}

function ledgerSettings(config: Config | null): { branch: string; remote: string | undefined; push: 'auto' | 'always' | 'never' } {
  const ledger = config?.audit.ledger;
  return { branch: ledger?.branch ?? 'relmgr/ledger', remote: ledger?.remote, push: ledger?.push ?? 'auto' };
}

/**
 * Opens the ledger: fetch and merge the remote's first (decisions are made on shared state).
 * Events carry the real time — never SOURCE_DATE_EPOCH, which pins documents' dates only — and
 * always later than every event already read, so a machine with a slow clock cannot reorder history.
 */
export async function openSession(ctx: Context, prepared: Prepared, options: { write: boolean; clock?: Clock }): Promise<Session> {
  const actor = await identity(prepared, options.write);
  const store = createGitStore(prepared.info.root, ctx.env);
  const settings = ledgerSettings(prepared.loaded.config);
  const remote = ledgerRemote(settings.remote, settings.push, await store.remotes());
  const ledger = new Ledger(store, { branch: settings.branch, remote }, { name: actor.name, email: actor.email || 'relmgr@localhost' });
  await ledger.pull();
  const events = await ledger.read();
  let state = foldLedger(events);
  let last = events.reduce((max, e) => Math.max(max, Date.parse(e.at) || 0), 0);
  const clock = options.clock ?? systemClock({});
  const session: Session = {
    ledger,
    actor,
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
        data,
      };
    },
    async record(...events) {
      await ledger.append(events);
      await ledger.push();
      state = foldLedger(await ledger.read());
    },
    async refresh() {
      state = foldLedger(await ledger.read());
      return state;
    },
  };
  return session;
}

/** The release a command acts on: `--release V`, else the open one. */
export function targetRelease(state: LedgerState, version: string | undefined): ReleaseView {
  if (version !== undefined) {
    const found = [...state.releases].reverse().find((r) => r.version === version || r.tag === version);
    if (!found) throw new PreconditionError('E_NO_RELEASE', `the ledger has no release ${version}`, { hint: 'see the releases with: relmgr ledger log' });
    return found;
  }
  if (!state.open) throw new PreconditionError('E_NO_RELEASE', 'there is no open release', { hint: 'open one with: relmgr plan' });
  return state.open;
}
