import type { Config, Gate } from '../config/schema.js';
import { PHASES, type ConfigPhase, type PhaseName } from '../lifecycle/events.js';
import { gateIds, gateKind, type GateKind } from './ids.js';

/**
 * A gate where the release config puts it. Gates are addressed the way people name them: a phase's
 * gate by its id (`--gate readiness`), an environment's by the environment and its id
 * (`--env production --gate signoff`). Decisions and gate events record `where` and `gate` (the id).
 */
export interface GateAt {
  /** The list it is in, as the config spells it: `phases.plan.exit`, `environments.production.entry`. */
  where: string;
  /** The phase whose boundary it is (`deploy` for an environment's gates). */
  phase: PhaseName;
  /** The environment whose boundary it is, or null for a phase's gate. */
  env: string | null;
  side: 'entry' | 'exit';
  /** Its position in the list. */
  index: number;
  gate: Gate;
  kind: GateKind;
  /** How people and decisions name it: an approval's or checklist's id, a check's name, the window or freeze names joined with `+`, `wait-<duration>`. */
  id: string;
  /** Unique per plan: `phases.plan.exit#readiness`; what gate.opened/passed events record in `data.gate` with `where`. */
  key: string;
}

/** The id a gate goes by in decisions and gate events. */
export function gateId(gate: Gate): string {
  if (gate.wait !== undefined) return `wait-${gate.wait}`;
  return gateIds(gate).join('+');
}

export const gateKey = (where: string, id: string): string => `${where}#${id}`;

const PHASE_GATES: readonly ConfigPhase[] = PHASES;

/** The gates of one list, addressed. */
export function gatesAt(where: string, phase: PhaseName, env: string | null, side: 'entry' | 'exit', gates: readonly Gate[] | undefined): GateAt[] {
  return (gates ?? []).flatMap((gate, index) => {
    const kind = gateKind(gate);
    if (kind === null) return [];
    const id = gateId(gate);
    return [{ where, phase, env, side, index, gate, kind, id, key: gateKey(where, id) }];
  });
}

/**
 * Every gate of the release config, in the order a release meets them: each phase's entry and exit
 * (plan → feedback), each environment's entry and exit in promotion order (`phases.deploy.order`,
 * then the others as written) right after the deploy phase's own gates.
 */
export function releaseGates(config: Config | null): GateAt[] {
  if (!config) return [];
  const out: GateAt[] = [];
  const order = config.phases.deploy?.order ?? [];
  const envs = [...order.filter((e) => config.environments[e]), ...Object.keys(config.environments).filter((e) => !order.includes(e))];
  for (const phase of PHASE_GATES) {
    const spec = config.phases[phase];
    for (const side of ['entry', 'exit'] as const) out.push(...gatesAt(`phases.${phase}.${side}`, phase, null, side, spec?.[side]));
    if (phase !== 'deploy') continue;
    for (const env of envs) {
      const spec = config.environments[env];
      for (const side of ['entry', 'exit'] as const) out.push(...gatesAt(`environments.${env}.${side}`, 'deploy', env, side, spec?.[side]));
    }
  }
  return out;
}

/** A gate as people name it: `approval signoff`, `freeze weekend+year-end`, `wait 30m`. */
export const gateLabel = (at: Pick<GateAt, 'kind' | 'id' | 'gate'>): string => (at.kind === 'wait' ? `wait ${at.gate.wait ?? ''}` : `${at.kind} ${at.id}`);

/** The gates a person can decide: approvals and checklists. */
export const humanGate = (at: GateAt): boolean => at.kind === 'approval' || at.kind === 'checklist';
