/**
 * The notifier of a session: after events are recorded it works out what they announce, claims the
 * notifications (a `notification.claimed` event shared by the session's compare-and-swap push, so
 * two machines or a resume never send one twice) and starts delivering without waiting. The
 * command's end waits for deliveries at most a moment; what is still being retried then is handed to
 * a detached `relmgr notify --deliver <spool>`. Nothing here ever fails a release.
 */
import { join } from 'node:path';
import type { Context } from '../context.js';
import type { Config } from '../core/config/schema.js';
import { ANNOUNCING, HORIZON_MS } from '../core/notify/announce.js';
import { owedNotifications, targetsOf, type Owed, type Target } from '../core/notify/owed.js';
import { expandWebhook, webhookSecrets } from '../core/notify/webhook.js';
import type { LedgerEvent } from '../core/lifecycle/events.js';
import type { LedgerState } from '../core/lifecycle/fold.js';
import type { Prepared } from './config.js';
import { projectName } from './project.js';
import { deliver, readyRun, targetLabel, type Delivery, type Ready } from './notify-delivery.js';
import type { Ledger } from '../ledger/ledger.js';
import type { EventType } from '../core/lifecycle/events.js';
import { writeSpool, type SpoolItem } from './notify-spool.js';

/** How long a command's end waits for its notifications before handing the rest off. */
export const FOREGROUND_WAIT_MS = 2000;

export interface Notifier {
  /** Events were recorded (or decided): claim and start sending what they announce. */
  after(events: readonly LedgerEvent[]): Promise<void>;
  /**
   * Claims and starts sending everything owed now: the last 24 hours' unannounced events, and an
   * overdue release. In a session that records nothing (a dry run): what would be, nothing claimed or sent.
   */
  catchUp(): Promise<Owed[]>;
  /** What would be sent (a dry run), nothing claimed: what these events announce, or (`all`) everything owed now. */
  preview(events: readonly LedgerEvent[], all: boolean): Promise<Owed[]>;
  /** How messages name a notification's target: a webhook's host, a command's first word. */
  describe(item: Owed): string;
  /** The command ends: waits for deliveries (at most a moment), hands off the rest, records failures. */
  finish(): Promise<void>;
  /** What was delivered or failed so far. */
  readonly results: readonly { owed: Owed; result: Delivery }[];
}

export interface NotifierOptions {
  config: Config;
  root: string;
  /** The release config file read (absolute): the background delivery reads the same one. */
  configPath?: string | null;
  project: () => Promise<string>;
  /** `relmgr notify`: every delivery (commands too) runs to its end here; nothing is handed off. */
  foreground?: boolean;
}

/** What the notifier needs of its session (the session satisfies it). */
export interface NotifierSession {
  readonly state: LedgerState;
  readonly ledger: Pick<Ledger, 'readPicked'>;
  decide(what: string, build: (state: LedgerState) => LedgerEvent[]): Promise<void>;
  record(...events: LedgerEvent[]): Promise<void>;
  event(type: EventType, release: string, data: Record<string, unknown>): LedgerEvent;
  warn(message: string): void;
  /** False in a dry run: nothing is claimed, nothing is sent. */
  readonly recorded: boolean;
}

class Nothing {}

/** The targets as they are sent to: webhooks expanded (and masked from here on), or null when one cannot be used (warned once). */
export function readyTargets(ctx: Context, config: Config, warn: (text: string) => void): Map<string, Ready | null> {
  const out = new Map<string, Ready | null>();
  for (const target of targetsOf(config)) {
    const spec = target.spec;
    if (!('webhook' in spec)) {
      out.set(target.id, readyRun(target));
      continue;
    }
    const expanded = expandWebhook(spec.webhook, ctx.env);
    if (expanded.ok) {
      ctx.secrets.addValues(webhookSecrets(expanded.url));
      out.set(target.id, { target, kind: 'webhook', url: expanded.url, format: spec.format });
    } else {
      out.set(target.id, null);
      const why = 'missing' in expanded ? `\${${expanded.missing.join('}, ${')}} ${expanded.missing.length === 1 ? 'is' : 'are'} not set` : expanded.invalid;
      warn(`notify target ${target.id} is skipped: ${why} (its webhook is in the notify: section of the release config)`);
    }
  }
  return out;
}

export function createNotifier(ctx: Context, session: NotifierSession, options: NotifierOptions): Notifier {
  const { config, root } = options;
  // Expanded at once: the URLs are masked in every output from here on.
  const ready = readyTargets(ctx, config, (text) => session.warn(text));
  const targets = (): Map<string, Ready | null> => ready;
  // One per delivery: a signal shared by every fetch and backoff would gather their listeners (node warns past 10).
  const stops: AbortController[] = [];
  const pending: Promise<void>[] = [];
  const finished: { owed: Owed; result: Delivery }[] = [];
  const later: SpoolItem[] = [];
  const now = (): Date => ctx.wallClock.now();

  /** This command's events (to every target), or the catch-up (earlier commands' events nobody announced, and overdue). */
  const owed = (state: LedgerState, events: readonly LedgerEvent[], project: string, catchUp: boolean): Owed[] =>
    owedNotifications({ config, state, events, claimed: state.notified ?? new Set(), ...(state.notifiedSince !== undefined ? { claimedSince: state.notifiedSince } : {}), now: now(), project, overdue: catchUp, catchUp }).filter((o) => targets().get(o.target.id) != null);

  const start = (item: Owed, project: string): void => {
    const target = targets().get(item.target.id);
    if (!target) return;
    // A command runs to its own timeout: it is the background's, never the foreground's to wait for.
    if (target.kind === 'run' && options.foreground !== true) {
      later.push({ key: item.key, target: item.target.id, announcement: item.announcement, project, done: 0 });
      return;
    }
    const stop = new AbortController();
    if (options.foreground !== true) stops.push(stop);
    pending.push(deliver(ctx, target, item.announcement, project, root, options.foreground === true ? {} : { signal: stop.signal }).then((result) => void finished.push({ owed: item, result })));
  };

  const claim = async (events: readonly LedgerEvent[], catchUp: boolean): Promise<Owed[]> => {
    const project = await options.project();
    if (owed(session.state, events, project, catchUp).length === 0) return [];
    let claimed: Owed[] = [];
    try {
      await session.decide('the claim of the notifications', (state) => {
        claimed = owed(state, events, project, catchUp);
        if (claimed.length === 0) throw new Nothing();
        const byRelease = new Map<string, string[]>();
        for (const o of claimed) byRelease.set(o.announcement.release.version, [...(byRelease.get(o.announcement.release.version) ?? []), o.key]);
        return [...byRelease].map(([release, keys]) => session.event('notification.claimed', release, { keys }));
      });
    } catch (error) {
      if (error instanceof Nothing) return [];
      // Recorded here but not shared: sent anyway (the claim travels with the next push).
      session.warn(`${(error as Error).message.split(':')[0] ?? 'the notifications'}: sending them anyway`);
    }
    for (const item of claimed) start(item, project);
    return claimed;
  };

  /** The last 24 hours' events that may announce something, read by file name from every release. */
  const recent = async (): Promise<LedgerEvent[]> => {
    const since = new Date(now().getTime() - HORIZON_MS).toISOString();
    return session.ledger.readPicked((name) => ANNOUNCING.has(name.type) && name.at >= since);
  };

  return {
    results: finished,
    async after(events) {
      const announcing = events.filter((e) => ANNOUNCING.has(e.type));
      if (announcing.length > 0) await claim(announcing, false);
    },
    async catchUp() {
      if (!session.recorded) return owed(session.state, await recent(), await options.project(), true);
      return claim(await recent(), true);
    },
    async preview(events, all) {
      const project = await options.project();
      return owed(session.state, [...(all ? await recent() : []), ...events], project, all);
    },
    describe: (item) => label(targets(), item.target.id),
    async finish() {
      let timer: NodeJS.Timeout | undefined;
      const budget = new Promise<void>((resolve) => {
        if (options.foreground === true) return;
        timer = setTimeout(resolve, FOREGROUND_WAIT_MS);
        timer.unref();
      });
      await Promise.race([Promise.all(pending), budget]);
      clearTimeout(timer);
      for (const stop of stops) stop.abort();
      await Promise.all(pending);
      const failed: LedgerEvent[] = [];
      const gaveUp: { owed: Owed; error: string; attempts: number }[] = [];
      for (const { owed: item, result } of finished) {
        if (result.ok) continue;
        if (result.unfinished === true) {
          later.push({ key: item.key, target: item.target.id, announcement: item.announcement, project: await options.project(), done: result.attempts, error: result.error });
          continue;
        }
        gaveUp.push({ owed: item, error: result.error, attempts: result.attempts });
        failed.push(session.event('notification.failed', item.announcement.release.version, { key: item.key, error: result.error, attempts: result.attempts }));
      }
      for (const warning of merged(failureWarnings(gaveUp, (target) => label(targets(), target.id)))) session.warn(warning);
      if (failed.length > 0) await session.record(...failed);
      if (later.length === 0) return;
      const { spool, log } = await writeSpool(ctx, root, later, options.configPath ?? null);
      // One warning per target, each error once (counted when repeated); identical ones merged.
      const retrying = byTarget(later.filter((i) => i.done > 0), (i) => i.target);
      const lines = [...retrying].map(([id, items]) => `could not notify ${label(targets(), id)} yet (${counted(items.map((i) => i.error ?? ''))}): retrying in the background (log: ${log})`);
      for (const warning of merged(lines)) session.warn(warning);
      try {
        await ctx.spawnDetached(['notify', '--deliver', spool], join(root, log));
      } catch (error) {
        session.warn(`the notifications left in ${spool} could not be handed off (${(error as Error).message}): send them with relmgr notify --deliver ${spool}`);
      }
    },
  };
}

function byTarget<T>(items: readonly T[], target: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(target(item), [...(out.get(target(item)) ?? []), item]);
  return out;
}

/** Each text once, in order, with a count when repeated: `a ×7; b`. */
export function counted(texts: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
  return [...counts].map(([text, n]) => (n > 1 ? `${text} ×${n}` : text)).join('; ');
}

/** What failed for good, one warning per target: the one notification's summary, or how many and the earliest. */
export function failureWarnings(failures: readonly { owed: Owed; error: string; attempts: number }[], name: (target: Target) => string): string[] {
  return [...byTarget(failures, (f) => f.owed.target.id).values()].map((group) => {
    const first = [...group].sort((a, b) => (a.owed.announcement.at < b.owed.announcement.at ? -1 : 1))[0] as (typeof group)[number];
    const attempts = new Set(group.map((f) => f.attempts));
    const tries = attempts.size === 1 ? `, ${first.attempts} attempt${first.attempts === 1 ? '' : 's'}${group.length > 1 ? ' each' : ''}` : '';
    const what = group.length === 1 ? first.owed.announcement.summary : `${group.length} notifications (the first: ${first.owed.announcement.summary})`;
    return `could not notify ${name(first.owed.target)} (${counted(group.map((f) => f.error))}${tries}): ${what}`;
  });
}

function label(targets: Map<string, Ready | null>, id: string): string {
  const ready = targets.get(id);
  if (!ready) return `notify target ${id}`;
  const name = targetLabel(ready);
  const shared = [...targets.values()].some((other) => other !== null && other !== ready && targetLabel(other) === name);
  return targetLabel(ready, shared);
}

/** Each warning once, in order; one said more than once gets a count: `… (×3)`. */
export function merged(warnings: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const w of warnings) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].map(([w, n]) => (n > 1 ? `${w} (×${n})` : w));
}

/** A session's notifier and the two moments it acts: after events are recorded, and at the command's end. */
export interface AttachedNotifier {
  notifier: Notifier | null;
  /** After events are recorded: claimed and sent (a dry run says what it would send). Never throws. */
  announce(events: readonly LedgerEvent[]): Promise<void>;
  /** The command's end: what earlier commands recorded and nobody announced, then the end of the deliveries. Never throws. */
  end(): Promise<void>;
}

export function attachNotifier(ctx: Context, prepared: Prepared, session: NotifierSession, options: { enabled: boolean; memory: boolean }): AttachedNotifier {
  const config = prepared.loaded.config;
  const root = prepared.info.root;
  let project: Promise<string> | undefined;
  const notifier =
    options.enabled && config !== null && config.notify.length > 0
      ? createNotifier(ctx, session, { config, root, configPath: prepared.loaded.path, project: () => (project ??= projectName(ctx.fs, root, prepared.settings.project)) })
      : null;
  const warn = (error: unknown): void => session.warn(`notifications: ${(error as Error).message}`);
  return {
    notifier,
    async announce(events) {
      if (notifier === null || events.every((e) => e.type.startsWith('notification.'))) return;
      try {
        if (!options.memory) return await notifier.after(events);
        for (const item of await notifier.preview(events, false)) ctx.stderr.write(`would notify ${notifier.describe(item)}: ${item.announcement.summary}\n`);
      } catch (error) {
        warn(error);
      }
    },
    async end() {
      if (notifier === null || options.memory) return;
      await notifier.catchUp().catch(warn);
      await notifier.finish().catch(warn);
    },
  };
}
