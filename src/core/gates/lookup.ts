import type { Config } from '../config/schema.js';
import type { LedgerEvent } from '../lifecycle/events.js';
import { PreconditionError, UsageError } from '../../errors.js';
import { releaseGates, type GateAt } from './address.js';
import { eligibleDeciders, type DeciderRelease } from './eligibility.js';
import type { GateStatus } from './evaluate.js';

/*
 * Which gate a decision is for, as people name it: `--env production --gate signoff` for an
 * environment's gate, `--gate readiness` for a phase's (or any gate whose id is unique), nothing at
 * all when exactly one approval gate awaits the person deciding. Pure: the config, the release's
 * events and a way to tell where a gate stands come in.
 */

export type DecidedKind = 'approval' | 'checklist';

/** How a person names a gate on the command line: `relmgr approve --env production --gate signoff`. */
export function decideCommand(at: GateAt, verb: 'approve' | 'reject' | 'attest' = 'approve'): string {
  const env = at.env !== null ? ` --env ${at.env}` : '';
  const items = at.gate.checklist?.items ?? [];
  if (at.kind === 'checklist') return `relmgr attest${env} --checklist ${at.id} --item ${items.length === 1 ? (items[0] as { id: string }).id : '<item>'}`;
  return `relmgr ${verb}${env} --gate ${at.id}`;
}

const flag = (kind: DecidedKind): string => (kind === 'approval' ? '--gate' : '--checklist');
const noun = (kind: DecidedKind): string => (kind === 'approval' ? 'approval gate' : 'checklist');

/** The environments of the config, or exit 2 listing them when `--env` names another. */
export function checkEnv(config: Config, env: string | undefined, kind: DecidedKind = 'approval'): void {
  if (env === undefined || config.environments[env]) return;
  const envs = Object.keys(config.environments);
  throw new UsageError('E_UNKNOWN_GATE', `the release config has no environment "${env}"`, {
    details: envs.length > 0 ? [`environments: ${envs.join(', ')}`] : ['the release config has no environments'],
    hint: envs.length > 0 ? `${kind === 'approval' ? 'relmgr approve' : 'relmgr attest'} --env ${envs.at(-1)}${kind === 'approval' ? '' : ' --checklist <id> --item <id>'}` : `leave --env out: ${kind === 'approval' ? 'relmgr approve' : 'relmgr attest --checklist <id> --item <id>'}`,
  });
}

/** The gates of this kind `--env` (or its absence) points at: an environment's, or the phases'. */
export function gatesOfKind(config: Config, kind: DecidedKind, env: string | undefined): GateAt[] {
  return releaseGates(config).filter((at) => at.kind === kind && (env === undefined || at.env === env));
}

/**
 * The gate `--gate`/`--checklist` names. With `--env`, among that environment's gates; without, among
 * the phases' gates, unless the id is unique across the whole config (then wherever it is).
 */
export function findGate(config: Config, kind: DecidedKind, id: string, env: string | undefined): GateAt {
  checkEnv(config, env, kind);
  const all = gatesOfKind(config, kind, undefined);
  const scoped = env !== undefined ? all.filter((at) => at.env === env) : all.filter((at) => at.env === null);
  let matches = scoped.filter((at) => at.id === id);
  if (matches.length === 0 && env === undefined) {
    const anywhere = all.filter((at) => at.id === id);
    if (anywhere.length === 1) matches = anywhere;
    else if (anywhere.length > 1) {
      throw new UsageError('E_UNKNOWN_GATE', `${flag(kind)} ${id} names more than one ${noun(kind)}: say which environment's`, {
        details: anywhere.map((at) => `${decideCommand(at)}   (${at.where})`),
        hint: decideCommand(anywhere[0] as GateAt),
      });
    }
  }
  const [found] = matches;
  if (found) return found;
  const where = env !== undefined ? ` of environment ${env}` : '';
  // The id of the other kind: a checklist named with approve, an approval named with attest.
  const other = gatesOfKind(config, kind === 'approval' ? 'checklist' : 'approval', env).find((at) => at.id === id);
  if (other) {
    throw new UsageError('E_UNKNOWN_GATE', `${id}${where} is ${kind === 'approval' ? 'a checklist, not an approval gate: its items are attested' : 'an approval gate, not a checklist: it is approved'}`, {
      hint: decideCommand(other),
    });
  }
  throw new UsageError('E_UNKNOWN_GATE', `the release config has no ${noun(kind)} "${id}"${where}`, {
    details: all.length > 0 ? all.map((at) => `${decideCommand(at)}   (${at.where})`) : [`the release config has no ${noun(kind)}s`],
    hint: all.length > 0 ? decideCommand(all[0] as GateAt) : 'add one to release.config.yaml (see relmgr validate)',
  });
}

/** A checklist's item, or exit 2 listing its items with their text. */
export function findItem(at: GateAt, item: string): { id: string; text: string } {
  const items = at.gate.checklist?.items ?? [];
  const found = items.find((i) => i.id === item);
  if (found) return found;
  throw new UsageError('E_UNKNOWN_GATE', `checklist ${at.id} (${at.where}) has no item "${item}"`, {
    details: items.map((i) => `${i.id}: ${i.text}`),
    hint: `relmgr attest${at.env !== null ? ` --env ${at.env}` : ''} --checklist ${at.id} --item ${items[0]?.id ?? '<item>'}`,
  });
}

/** This plan's decision events for the gate (and checklist item), by one person, oldest first. */
export function decisionsBy(events: readonly LedgerEvent[], at: GateAt, email: string, item?: string): LedgerEvent[] {
  const who = email.toLowerCase();
  return events.filter((e) => {
    if (e.actor.email.toLowerCase() !== who || e.data.where !== at.where) return false;
    if (at.kind === 'checklist') return e.type === 'attestation.recorded' && e.data.checklist === at.id && e.data.item === item;
    return (e.type === 'approval.granted' || e.type === 'approval.rejected') && e.data.gate === at.id;
  });
}

export interface Awaiting {
  /** The approval gates awaiting this person's decision. */
  awaiting: GateAt[];
  /** Every approval gate considered, with who may decide it: what "none awaits you" explains. */
  considered: { at: GateAt; eligible: string[]; why: string }[];
}

/**
 * The approval gates (of `--env`, or all) awaiting this person: they are eligible, have not decided
 * it yet, and it has not passed or been rejected.
 */
export function awaitingDecider(
  config: Config,
  env: string | undefined,
  email: string,
  release: DeciderRelease & { gateEvents: readonly LedgerEvent[] },
  status: (at: GateAt) => GateStatus,
): Awaiting {
  checkEnv(config, env);
  const considered = gatesOfKind(config, 'approval', env).map((at) => {
    const eligible = eligibleDeciders(at, config, release);
    const state = status(at);
    const why = !eligible.includes(email.toLowerCase())
      ? `eligible: ${eligible.join(', ') || 'nobody'}`
      : decisionsBy(release.gateEvents, at, email).length > 0
        ? 'you decided it already'
        : state === 'passed' || state === 'rejected' || state === 'timed_out' || state === 'skipped'
          ? `it is ${state.replace('_', ' ')}`
          : '';
    return { at, eligible, why };
  });
  const awaiting = considered.filter((c) => c.why === '').map((c) => c.at);
  // Without --env, the phases' gates come first: an environment's gate is met later, and named with --env.
  const phases = awaiting.filter((at) => at.env === null);
  return { awaiting: env === undefined && phases.length > 0 ? phases : awaiting, considered };
}

/** Exit 2 or 3 when `--gate` is left out and not exactly one approval gate awaits the person. */
export function pickAwaiting(found: Awaiting, email: string, verb: 'approve' | 'reject'): GateAt {
  const [only, ...more] = found.awaiting;
  if (only && more.length === 0) return only;
  if (only) {
    throw new UsageError('E_UNKNOWN_GATE', `${found.awaiting.length} approval gates await ${email}: name one`, {
      details: found.awaiting.map((at) => decideCommand(at, verb)),
      hint: decideCommand(only, verb),
    });
  }
  if (found.considered.length === 0) {
    throw new PreconditionError('E_NOTHING_TO_DECIDE', 'the release config has no approval gates here to decide', {
      hint: 'relmgr status',
    });
  }
  throw new PreconditionError('E_NOTHING_TO_DECIDE', `no approval gate of the release awaits ${email}`, {
    details: found.considered.map((c) => `${c.at.id} (${c.at.where}): ${c.why}`),
    hint: 'relmgr status',
  });
}
