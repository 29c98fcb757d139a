/**
 * What is owed to whom (pure): each announcement addressed to every target that wants it, keyed
 * `<target id>:<event id>` (`overdue:<version>:<target id>`), minus the keys already claimed.
 */
import type { Config, NotifyTarget } from '../config/schema.js';
import type { LedgerEvent } from '../lifecycle/events.js';
import type { LedgerState } from '../lifecycle/fold.js';
import { announce, HORIZON_MS, overdue, type Announcement } from './announce.js';

/** A target with its stable id (a short hash of its webhook or command as written). */
export interface Target {
  id: string;
  spec: NotifyTarget;
}

/** One notification for one target. */
export interface Owed {
  key: string;
  target: Target;
  announcement: Announcement;
}

/** FNV-1a, 32 bits, as 8 hex digits: stable across machines and versions, no crypto needed. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** The target's id: from its webhook or run text as written (before `${VAR}` expansion, so no secret goes into it). */
export function targetId(spec: NotifyTarget): string {
  return shortHash('webhook' in spec ? `webhook:${spec.webhook}` : `run:${spec.run}`);
}

export function targetsOf(config: Config | null): Target[] {
  return (config?.notify ?? []).map((spec) => ({ id: targetId(spec), spec }));
}

export function notificationKey(target: Target, announcement: Announcement): string {
  return announcement.event === 'overdue' ? `${announcement.source}:${target.id}` : `${target.id}:${announcement.source}`;
}

/** Whether the target wants it: its `on` names the event, and its `environments` (if any) the environment (release-wide events always pass). */
export function wants(spec: NotifyTarget, announcement: Announcement): boolean {
  if (!spec.on.includes(announcement.event)) return false;
  if (spec.environments === undefined || announcement.env === undefined) return true;
  return spec.environments.includes(announcement.env);
}

export interface OwedInput {
  config: Config | null;
  state: LedgerState;
  /** Ledger events that may announce something (any order). */
  events: readonly LedgerEvent[];
  claimed: ReadonlySet<string>;
  now: Date;
  project: string;
  /** Also the open release's overdue notice (`relmgr notify`, and every recording command). */
  overdue?: boolean;
  /**
   * The catch-up: `events` were recorded by earlier commands. One is owed only if no target at all
   * claimed it (nobody announced it: relmgr was killed before it could), and only if it was recorded
   * once notifications were on (`claimedSince`, the earliest claim; none at all: they were just
   * switched on, nothing is replayed). So a new or edited target hears only what happens from now on.
   */
  catchUp?: boolean;
  /** When the ledger's earliest claim was recorded (`LedgerState.notifiedSince`), if it holds one. */
  claimedSince?: string;
}

/** The sources (event ids) some target claimed: `<target id>:<event id>` keys, overdue ones left out. */
export function announcedSources(claimed: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const key of claimed) {
    const colon = key.indexOf(':');
    if (colon > 0 && !key.startsWith('overdue:')) out.add(key.slice(colon + 1));
  }
  return out;
}

/** Every notification owed now, oldest first: recorded within the last 24 hours and not claimed yet (for that target; in a catch-up, for any). */
export function owedNotifications(input: OwedInput): Owed[] {
  const targets = targetsOf(input.config);
  if (targets.length === 0) return [];
  const since = input.now.getTime() - HORIZON_MS;
  const byVersion = new Map(input.state.releases.map((r) => [r.version, r]));
  const announcements: Announcement[] = [];
  const seen = new Set<string>();
  const announced = input.catchUp === true ? announcedSources(input.claimed) : null;
  // A catch-up replays nothing recorded before notifications were on (no claim at all: they were just switched on).
  const on = announced === null ? -Infinity : input.claimedSince === undefined ? Infinity : Date.parse(input.claimedSince);
  for (const event of [...input.events].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))) {
    if (seen.has(event.id) || Date.parse(event.at) < Math.max(since, on) || announced?.has(event.id) === true) continue;
    seen.add(event.id);
    const release = byVersion.get(event.release);
    // A gate event of a plan that was replaced belongs to no release shown: it announces nothing.
    if (!release || (event.type === 'gate.opened' && event.data.plan !== release.planId)) continue;
    const found = announce(event, release, input.config, input.project);
    if (found) announcements.push(found);
  }
  if (input.overdue !== false) {
    const late = overdue(input.state.open, input.now, input.project, input.config?.calendars.timezone);
    if (late) announcements.push(late);
  }
  const out: Owed[] = [];
  for (const announcement of announcements) {
    for (const target of targets) {
      if (!wants(target.spec, announcement)) continue;
      const key = notificationKey(target, announcement);
      if (!input.claimed.has(key)) out.push({ key, target, announcement });
    }
  }
  return out;
}
