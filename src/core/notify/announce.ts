/**
 * Which ledger events announce what (pure). A notification names its release, the environment it
 * happened in (if any), who did it and when, and a summary that reads like a person wrote it; a
 * pending gate also says who may decide it and the exact command.
 */
import type { Config, NotifyEvent } from '../config/schema.js';
import { releaseGates, type GateAt } from '../gates/address.js';
import { eligibleDeciders } from '../gates/eligibility.js';
import { formatInstant } from '../gates/calendar.js';
import { evaluateGate } from '../gates/evaluate.js';
import type { Actor, LedgerEvent } from '../lifecycle/events.js';
import type { ReleaseView } from '../lifecycle/fold.js';

/** Something worth announcing, before it is addressed to a target. */
export interface Announcement {
  /** What makes it unique: the ledger event's id, or `overdue:<version>`. */
  source: string;
  event: NotifyEvent;
  release: { version: string; tag: string; track: string };
  env?: string;
  actor: Actor;
  at: string;
  summary: string;
  gate?: { id: string; where: string; who: string[]; command: string };
}

/** Events older than this are never announced: adding `notify:` to an old project does not replay history. */
export const HORIZON_MS = 24 * 60 * 60 * 1000;

/** The ledger event types that may announce something (read by file name, before the events themselves). */
export const ANNOUNCING = new Set<string>(['release.planned', 'gate.opened', 'approval.granted', 'approval.rejected', 'attestation.recorded', 'deploy.succeeded', 'deploy.failed', 'rollback.succeeded', 'release.closed']);

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** How a person is named in a summary: their email, else their name. */
export const who = (actor: Actor): string => actor.email || actor.name;

/** The environment a gate belongs to (`environments.production.entry`), or null for a phase's gate. */
export function gateEnv(where: string): string | null {
  const match = /^environments\.([^.]+)\./.exec(where);
  return match ? (match[1] as string) : null;
}

function findGate(config: Config | null, where: unknown, id: unknown): GateAt | undefined {
  return releaseGates(config).find((at) => at.where === where && at.id === id);
}

/** The command that decides a pending gate. */
export function decideCommand(at: GateAt): string {
  const env = at.env !== null ? ` --env ${at.env}` : '';
  if (at.kind === 'checklist') {
    const item = at.gate.checklist?.items[0]?.id ?? '<item>';
    return `relmgr attest${env} --checklist ${at.id} --item ${item}`;
  }
  return `relmgr approve${env} --gate ${at.id} --comment "…"`;
}

/**
 * What a ledger event announces, or null. `gate.rejected` is not announced: it follows the
 * rejection (or the checklist item answered no) that is.
 */
export function announce(event: LedgerEvent, release: ReleaseView, config: Config | null, project: string): Announcement | null {
  const base = { source: event.id, release: { version: release.version, tag: release.tag, track: release.track }, actor: event.actor, at: event.at };
  const name = `${project} ${release.version}`;
  const by = who(event.actor);
  const env = str(event.data.env) ?? event.env ?? null;
  const withEnv = env !== null ? { env } : {};
  switch (event.type) {
    case 'release.planned': {
      const target = str(event.data.target);
      return { ...base, event: 'planned', summary: `${name} planned by ${by}${release.track !== 'normal' ? ` (${release.track} track)` : ''}${target ? `, due ${when(target, config?.calendars.timezone)}` : ''}` };
    }
    case 'gate.opened': {
      const at = findGate(config, event.data.where, event.data.gate);
      if (!at || config === null || (at.kind !== 'approval' && at.kind !== 'checklist')) return null;
      // Decided before it was reached (an approval given ahead of the deploy): nobody is waited for.
      const before = release.gateEvents.filter((e) => e.at <= event.at);
      if (evaluateGate(at, { events: before, now: new Date(event.at), checks: new Map(), config, release: { initiator: release.initiator, track: release.track } }).status !== 'pending') return null;
      const people = eligibleDeciders(at, config, { initiator: release.initiator, track: release.track });
      const place = at.env !== null ? ` before ${at.env}` : ` (${at.where})`;
      const command = decideCommand(at);
      const gate = { id: at.id, where: at.where, who: people, command };
      const deciders = people.length > 0 ? `: ${people.join(', ')} can decide with ${command}` : `: nobody is eligible yet (${command})`;
      return { ...base, ...(at.env !== null ? { env: at.env } : {}), event: 'gate_pending', gate, summary: `${name} waits for ${at.kind} ${at.id}${place}${deciders}` };
    }
    case 'approval.granted':
    case 'approval.rejected': {
      const gateId = str(event.data.gate) ?? 'the gate';
      const gEnv = env ?? gateEnv(String(event.data.where ?? ''));
      const place = gEnv !== null ? ` (${gEnv})` : '';
      const comment = str(event.data.comment);
      const verb = event.type === 'approval.granted' ? 'approved' : 'rejected';
      return { ...base, ...(gEnv !== null ? { env: gEnv } : {}), event: verb, summary: `${name}: ${gateId}${place} ${verb} by ${by}${comment ? `: ${comment}` : ''}` };
    }
    case 'attestation.recorded': {
      if (event.data.answer !== 'no') return null;
      const gEnv = env ?? gateEnv(String(event.data.where ?? ''));
      const comment = str(event.data.comment);
      return { ...base, ...(gEnv !== null ? { env: gEnv } : {}), event: 'rejected', summary: `${name}: ${by} answered no to ${str(event.data.item) ?? 'an item'} of checklist ${str(event.data.checklist) ?? ''}${gEnv !== null ? ` (${gEnv})` : ''}${comment ? `: ${comment}` : ''}` };
    }
    case 'deploy.succeeded':
      return { ...base, ...withEnv, event: 'deployed', summary: `${name} deployed to ${env ?? 'an environment'} by ${by}` };
    case 'deploy.failed':
      return { ...base, ...withEnv, event: 'deploy_failed', summary: `${name} failed to deploy to ${env ?? 'an environment'} (run by ${by})` };
    case 'rollback.succeeded': {
      const to = str(event.data.to);
      return { ...base, ...withEnv, event: 'rolled_back', summary: `${env ?? 'an environment'} rolled back from ${name}${to ? ` to ${to}` : ''} by ${by}` };
    }
    case 'release.closed': {
      const outcome = str(event.data.outcome);
      return { ...base, event: 'closed', summary: `${name} closed by ${by}${outcome ? ` (outcome: ${outcome.replace('_', ' ')})` : ''}` };
    }
    default:
      return null;
  }
}

/** Whether a release reached a production-tier environment (a deploy there succeeded). */
function inProduction(release: ReleaseView): boolean {
  return Object.values(release.environments).some((envs) => envs.deploy?.attempts.some((a) => a.state === 'succeeded' && a.result.production === true) === true);
}

/** A target (RFC 3339) as people read it, in the calendar's zone: `Tue 15 Dec 2026 23:59 Europe/Berlin (22:59 UTC)`. */
function when(target: string, zone = 'UTC'): string {
  const at = Date.parse(target);
  return Number.isNaN(at) ? target : formatInstant(new Date(at), zone);
}

/** An open release whose target (`release.planned` `data.target`) has passed without a production-tier deploy; the target said in `zone` (the calendar's). */
export function overdue(release: ReleaseView | null, now: Date, project: string, zone = 'UTC'): Announcement | null {
  if (release === null || release.abandoned || release.closed) return null;
  const target = str(release.planned.target);
  const due = target === null ? NaN : Date.parse(target);
  if (Number.isNaN(due) || due > now.getTime() || inProduction(release)) return null;
  const late = Math.floor((now.getTime() - due) / HORIZON_MS);
  const by = late >= 1 ? ` by ${late} day${late === 1 ? '' : 's'}` : '';
  return {
    source: `overdue:${release.version}`,
    event: 'overdue',
    release: { version: release.version, tag: release.tag, track: release.track },
    actor: release.initiator,
    at: now.toISOString(),
    summary: `${project} ${release.version} is overdue${by}: its target was ${when(target ?? '', zone)} and it is not in production (${release.state})`,
  };
}
