import type { GitStore, Identity, TreeEntry } from '../adapters/git-store.js';
import type { Config } from '../core/config/schema.js';
import { compareEvents, eventFromPath, eventPath, parseEvent, unreadableKind, EVENT_FORMAT, type LedgerEvent } from '../core/lifecycle/events.js';
import { PreconditionError, RuntimeError } from '../errors.js';

export interface LedgerOptions {
  /** The ledger branch, e.g. relmgr/ledger. */
  branch: string;
  /** The remote to share it through, or null to keep it local. */
  remote: string | null;
  /** How long a fetch or push may wait on the remote (default 60 s); then E_NETWORK_TIMEOUT. */
  timeoutMs?: number;
  /** Masks secrets in every string of an event before it is written (the ledger is shared). */
  redact?: (text: string) => string;
}

/** Every string inside a value, masked. */
function redactDeep(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)]));
  return value;
}

export interface SyncReport {
  fetched: boolean;
  merged: 'none' | 'fast-forward' | 'union';
  pushed: boolean;
}

const MAX_RACES = 25;
/** Pushes that lose a race are retried this many times, a little apart (two machines pushing in step). */
const MAX_PUSHES = 10;
const backoff = (attempt: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20 * (attempt + 1))));
const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * The append-only event store: one JSON file per event on an orphan branch,
 * written with plumbing (the working tree, the index and HEAD are never touched) and moved by
 * compare-and-swap, so concurrent writers on one machine never lose an event. With a remote, a
 * rejected push is fetched, merged as a union of event files (they never collide), and retried.
 */
/** A file in the ledger that is not an event this relmgr reads. */
export type Unreadable = { path: string } & ReturnType<typeof unreadableKind>;

/**
 * The warnings for files that were not read: events from a newer relmgr say so once, with their
 * count and the upgrade that reads them; anything else is named file by file.
 */
export function unreadableWarnings(files: readonly Unreadable[]): string[] {
  const newer = files.filter((f) => f.kind === 'newer');
  const warnings = files.filter((f) => f.kind === 'foreign').map((f) => `${f.path} in the ledger is not a relmgr event; ignored`);
  if (newer.length > 0) {
    const formats = [...new Set(newer.map((f) => (f.kind === 'newer' ? f.format : 0)))].sort().join(', ');
    const first = newer[0]?.path ?? '';
    warnings.unshift(
      `${newer.length} ledger event${newer.length > 1 ? 's were' : ' was'} written by a newer relmgr (event format ${formats}; this relmgr reads format ${EVENT_FORMAT}), e.g. ${first}; ignored, so what is shown may be incomplete — upgrade relmgr to a version that reads event format ${formats} (the one that wrote ${newer.length > 1 ? 'them' : 'it'})`,
    );
  }
  return warnings;
}

export class Ledger {
  readonly ref: string;
  readonly remoteRef: string;
  /** Files that were not events this relmgr reads (reported once, never folded): written by a newer relmgr, or foreign. */
  readonly unreadable: Unreadable[] = [];
  /**
   * The local branch's tip as this ledger last read or wrote it (null: no branch; undefined: not
   * known). Appends build on it without asking git; the compare-and-swap still checks it, and a
   * stale one (another writer moved the branch) only costs a re-read.
   */
  private tip: string | null | undefined;
  /** Appends through this ledger, one after another: they would only race each other for the tip. */
  private appending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: GitStore,
    readonly options: LedgerOptions,
    private readonly identity: Identity,
  ) {
    this.ref = `refs/heads/${options.branch}`;
    this.remoteRef = `refs/relmgr/remote/${options.branch}`;
  }

  /**
   * Events on the local ledger branch, oldest first: three git processes, whatever the count (one
   * when the store already knows the tip's tree and blobs, as after its own appends).
   * `releases` picks the releases to read — found from file names alone, so `status` over a long
   * history reads one release's files, not every event ever recorded; `pick` the events (by type,
   * from file names too: a report reads no step events).
   */
  async read(releases?: (names: ReturnType<typeof eventFromPath>[]) => Set<string>, pick?: (name: NonNullable<ReturnType<typeof eventFromPath>>) => boolean): Promise<LedgerEvent[]> {
    const tip = await this.store.readRef(this.ref);
    this.tip = tip ?? null;
    if (tip === undefined) return [];
    let files = (await this.store.listFiles(tip)).filter((f) => f.path.endsWith('.json'));
    if (releases || pick) {
      const names = files.map((f) => eventFromPath(f.path));
      const wanted = releases?.(names);
      // A file whose name is not an event's is read all the same: it is reported, never skipped unseen.
      files = files.filter((f, i) => {
        const name = names[i] ?? null;
        return name === null || ((wanted === undefined || wanted.has(name.release)) && (pick === undefined || pick(name)));
      });
    }
    const blobs = await this.store.readBlobs([...new Set(files.map((f) => f.blob))]);
    const events: LedgerEvent[] = [];
    this.unreadable.length = 0;
    for (const file of files) {
      const event = parseEvent(blobs.get(file.blob) ?? '');
      if (event) events.push(event);
      else this.unreadable.push({ path: file.path, ...unreadableKind(blobs.get(file.blob) ?? '') });
    }
    return events.sort(compareEvents);
  }

  /**
   * The events whose file names `pick` chooses, across every release, oldest first: the history of
   * environments reads the few deploy and rollback summaries of each release, never every event.
   */
  async readPicked(pick: (name: NonNullable<ReturnType<typeof eventFromPath>>) => boolean): Promise<LedgerEvent[]> {
    const tip = await this.store.readRef(this.ref);
    if (tip === undefined) return [];
    const files = (await this.store.listFiles(tip)).filter((f) => {
      const name = f.path.endsWith('.json') ? eventFromPath(f.path) : null;
      return name !== null && pick(name);
    });
    const blobs = await this.store.readBlobs([...new Set(files.map((f) => f.blob))]);
    return files.flatMap((file) => parseEvent(blobs.get(file.blob) ?? '') ?? []).sort(compareEvents);
  }

  /** The event files of one ledger commit, and its message. */
  private async files(events: readonly LedgerEvent[]): Promise<{ add: TreeEntry[]; message: string }> {
    const redact = this.options.redact;
    const written = redact ? events.map((event) => redactDeep(event, redact) as LedgerEvent) : events;
    const blobs = await this.store.writeBlobs(written.map((event) => `${JSON.stringify(event, null, 2)}\n`));
    const add: TreeEntry[] = written.map((event, i) => ({ path: eventPath(event), blob: blobs[i] as string }));
    const message = events.length === 1 ? `${events[0]?.type} ${events[0]?.release}` : `${events.length} events for ${events[0]?.release}`;
    return { add, message };
  }

  /**
   * Appends events in one ledger commit, on the branch when it returns; retries when another writer
   * moved the branch first. Appends through one ledger wait for each other instead of racing.
   */
  append(events: readonly LedgerEvent[]): Promise<void> {
    const done = this.appending.then(() => this.appendNow(events));
    this.appending = done.catch(() => undefined);
    return done;
  }

  private async appendNow(events: readonly LedgerEvent[]): Promise<void> {
    if (events.length === 0) return;
    const { add, message } = await this.files(events);
    for (let race = 0; race < MAX_RACES; race++) {
      const known = this.tip !== undefined;
      const tip = known ? (this.tip ?? null) : await this.readTip();
      const commit = await this.store.writeCommit({ base: tip, add, parents: tip ? [tip] : [], message, identity: this.identity });
      if (await this.swap(commit, tip)) return;
      // A tip remembered from earlier is worth one more look at once; a tip just read lost a real race.
      if (!known) await backoff(race);
    }
    throw new RuntimeError('E_LEDGER_RACE', `could not append to ${this.ref}: it kept moving under ${MAX_RACES} attempts`, {
      hint: 'another relmgr is writing the ledger in a loop; run the command again',
    });
  }

  /** Fetches the remote ledger and merges it into the local branch (`timeoutMs`: a shorter wait, for reading). */
  /** How many pulls brought in another machine's events: a reader folds again when this moves. */
  merges = 0;

  async pull(timeoutMs = this.timeoutMs): Promise<{ fetched: boolean; merged: SyncReport['merged'] }> {
    const remote = this.options.remote;
    if (remote === null) return { fetched: false, merged: 'none' };
    const fetched = (await this.store.fetch(remote, this.options.branch, this.remoteRef, timeoutMs)) === 'fetched';
    if (!fetched) return { fetched, merged: 'none' };
    const merged = await this.mergeRemote();
    if (merged !== 'none') this.merges += 1;
    return { fetched, merged };
  }

  /**
   * Pushes the local ledger; a push that lost a race (rejected, or the remote's ref locked by a
   * concurrent push) is fetched, merged and retried (`timeoutMs`: a shorter wait, when stopping).
   */
  async push(timeoutMs = this.timeoutMs): Promise<boolean> {
    const remote = this.options.remote;
    if (remote === null || (await this.store.readRef(this.ref)) === undefined) return false;
    for (let attempt = 0; attempt < MAX_PUSHES; attempt++) {
      if ((await this.store.push(remote, this.ref, this.options.branch, timeoutMs)) === 'pushed') return true;
      await backoff(attempt);
      await this.pull(timeoutMs);
    }
    throw new RuntimeError('E_LEDGER_PUSH', `the ledger push to ${remote} kept being rejected`, { hint: 'run: relmgr ledger sync' });
  }

  /**
   * Appends events only if the shared ledger takes them on top of what this clone has read: the push
   * is the compare-and-swap, so of two machines deciding at once exactly one gets through.
   * 'shared': pushed, and on the local branch too. 'raced': the remote moved first — these events are
   * recorded nowhere; the caller pulls and decides again on what it then reads.
   * 'local': there is no remote. A push that fails otherwise (access, network) keeps the events on
   * the local branch, to share later with `relmgr ledger sync`, and throws.
   */
  async publish(events: readonly LedgerEvent[]): Promise<'shared' | 'raced' | 'local'> {
    const remote = this.options.remote;
    if (remote === null) {
      await this.append(events);
      return 'local';
    }
    const { add, message } = await this.files(events);
    const tip = this.tip !== undefined ? this.tip : await this.readTip();
    const commit = await this.store.writeCommit({ base: tip, add, parents: tip ? [tip] : [], message, identity: this.identity });
    let pushed: 'pushed' | 'rejected';
    try {
      pushed = await this.store.push(remote, commit, this.options.branch, this.timeoutMs);
    } catch (error) {
      await this.mergeCommit(commit);
      throw error;
    }
    if (pushed === 'rejected') return 'raced';
    await this.mergeCommit(commit);
    return 'shared';
  }

  private async readTip(): Promise<string | null> {
    this.tip = (await this.store.readRef(this.ref)) ?? null;
    return this.tip;
  }

  /** Moves the local branch from `expected` to `next` if no one moved it first; remembers the outcome. */
  private async swap(next: string, expected: string | null): Promise<boolean> {
    const swapped = await this.store.compareAndSwap(this.ref, next, expected);
    this.tip = swapped ? next : undefined;
    return swapped;
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** `pushed`: whether the remote got anything new (nothing is pushed when it already has every event). */
  async sync(): Promise<SyncReport> {
    const { fetched, merged } = await this.pull();
    const ahead = !fetched || (await this.store.readRef(this.ref)) !== (await this.store.readRef(this.remoteRef));
    return { fetched, merged, pushed: ahead ? await this.push() : false };
  }

  private async mergeRemote(): Promise<SyncReport['merged']> {
    const remote = await this.store.readRef(this.remoteRef);
    return remote === undefined ? 'none' : this.mergeCommit(remote);
  }

  /** Brings `remote` (a ledger commit) into the local branch: a fast-forward, or a union of their event files. */
  private async mergeCommit(remote: string): Promise<SyncReport['merged']> {
    for (let race = 0; race < MAX_RACES; race++) {
      const local = await this.readTip();
      if (remote === local) return 'none';
      if (local !== null && (await this.store.isAncestor(remote, local))) return 'none';
      if (local === null || (await this.store.isAncestor(local, remote))) {
        if (await this.swap(remote, local)) return 'fast-forward';
        continue;
      }
      // Both moved: the union of their event files, with both as parents.
      const theirs = await this.store.listFiles(remote);
      const merge = await this.store.writeCommit({ base: local, add: theirs, parents: [local, remote], message: 'merge ledger', identity: this.identity });
      if (await this.swap(merge, local)) return 'union';
    }
    throw new RuntimeError('E_LEDGER_RACE', `could not merge the remote ledger into ${this.ref}`, { hint: 'run the command again' });
  }
}

/** Which remote shares the ledger: the configured one, else origin when it exists; none with push: never. */
export function ledgerRemote(configured: string | undefined, push: 'auto' | 'always' | 'never', remotes: readonly string[]): string | null {
  if (push === 'never') return null;
  const remote = configured ?? (remotes.includes('origin') ? 'origin' : null);
  if (remote !== null && !remotes.includes(remote)) {
    throw new PreconditionError('E_LEDGER_REMOTE', `audit.ledger.remote names "${remote}", which is not a git remote here`, {
      hint: `add it (git remote add ${remote} <url>) or set audit.ledger.push: never`,
    });
  }
  if (remote === null && push === 'always') {
    throw new PreconditionError('E_LEDGER_REMOTE', 'audit.ledger.push is always, but this repository has no remote to push the ledger to', {
      hint: 'add one (git remote add origin <url>) or set audit.ledger.push: auto',
    });
  }
  return remote;
}

/** The ledger's settings from the release config (`audit.ledger`), with their defaults. */
export function ledgerSettings(config: Config | null): { branch: string; remote: string | undefined; push: 'auto' | 'always' | 'never' } {
  const ledger = config?.audit.ledger;
  return { branch: ledger?.branch ?? 'relmgr/ledger', remote: ledger?.remote, push: ledger?.push ?? 'auto' };
}
