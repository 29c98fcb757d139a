import type { Config } from '../config/schema.js';
import type { Actor } from '../lifecycle/events.js';
import type { GateAt } from './address.js';
import { eligiblePeople } from './ids.js';

/** One approval rule: `min` approvals from distinct people among `from` (groups or emails). */
export interface ApprovalRule {
  from: string | string[];
  min: number;
}

/** What a release contributes to who may decide: its initiator (who ran `plan`) and its track. */
export interface DeciderRelease {
  initiator: Actor;
  track: string;
}

/**
 * The rules an approval gate is evaluated with: its own, except on the emergency track where the
 * track's `approval` replaces the approval at a production-tier environment's entry.
 */
export function approvalRules(at: GateAt, config: Config, release: DeciderRelease): ApprovalRule[] {
  if (!at.gate.approval) return [];
  const track = config.tracks.emergency?.approval;
  const production = at.env !== null && config.environments[at.env]?.tier === 'production' && at.side === 'entry';
  if (release.track === 'emergency' && track && production) return [{ from: track.from, min: track.min }];
  return at.gate.approval.rules.map((r) => ({ from: r.from, min: r.min }));
}

/** Whether the release's initiator may decide this gate (approvals: `allow_self`; checklists: yes). */
export function selfAllowed(at: GateAt): boolean {
  return at.gate.approval ? at.gate.approval.allow_self === true : true;
}

/** The people who may decide a human gate (lower-cased emails), the initiator left out where not allowed. */
export function eligibleDeciders(at: GateAt, config: Config, release: DeciderRelease): string[] {
  const principals = at.gate.approval ? approvalRules(at, config, release).flatMap((r) => [r.from].flat()) : at.gate.checklist ? [at.gate.checklist.who].flat() : [];
  const { people } = eligiblePeople(config.groups, principals);
  if (!selfAllowed(at)) people.delete(release.initiator.email.toLowerCase());
  return [...people].sort();
}

/**
 * Why this person may not decide the gate, or null when they may: not among its people, or the
 * release's initiator on an approval that does not allow it.
 */
export function refusal(at: GateAt, email: string, config: Config, release: DeciderRelease): string | null {
  const who = email.toLowerCase();
  if (!selfAllowed(at) && who === release.initiator.email.toLowerCase()) {
    return `${email} planned this release, and the initiator may not approve it (the gate would need allow_self: true)`;
  }
  if (!eligibleDeciders(at, config, release).includes(who)) return `${email} is not among the people who may decide ${at.kind} ${at.id}`;
  return null;
}
