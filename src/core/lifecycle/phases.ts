import type { Config, Gate, Step } from '../config/schema.js';
import type { PhaseName } from './events.js';

/** The release state: derived from the phase table, never stored. */
export type ReleaseStateName = 'planned' | 'cut' | 'tested' | 'failed' | 'abandoned';

/** Gates found at one place of the release config: `phases.build.entry`, say. */
export interface GateSet {
  where: string;
  /** The phase whose boundary it is (`plan` for the plan's exit gates met by cut). */
  phase: PhaseName;
  env: string | null;
  side: 'entry' | 'exit';
  gates: readonly Gate[];
}

/** A phase of one release, in one environment when the phase runs per environment. */
export interface PhaseRef {
  phase: PhaseName;
  env: string | null;
}

/**
 * One row of the lifecycle: what a phase is, where its gates and steps are found in the release
 * config, what must have happened before it, and the state a release reaches when it succeeds.
 * One runner runs every row; adding a phase is adding a row (and its steps' config).
 */
export interface PhaseDef {
  name: PhaseName;
  /** What a person runs to start it. */
  command: string;
  /** Runs once per environment (each with its own attempts), not once per release. */
  perEnvironment: boolean;
  /** The state a release reaches when the phase succeeds. */
  reached: ReleaseStateName;
  /** Phases that must have succeeded first (in the same environment, for per-environment phases). */
  requires: readonly PhaseName[];
  /** Gates before any step. */
  entry(config: Config | null, env: string | null): GateSet[];
  steps(config: Config | null, env: string | null): readonly Step[];
  /** Gates after the steps. */
  exit(config: Config | null, env: string | null): GateSet[];
  /** The commit it runs at: the one the release was planned at (build), or the release commit (test and after). */
  runsAt: 'planned' | 'release';
  /** After its steps and exit gates: the repository changes it makes (cut's files, commit, tag, push), or none. */
  effects: 'release' | null;
  /** What comes after it succeeds (null: the end of what this relmgr version runs). */
  next: PhaseName | null;
}

/** A phase's own entry or exit gates, if it has any. */
const phaseGates = (config: Config | null, phase: PhaseName, side: 'entry' | 'exit'): GateSet[] => {
  const gates = config?.phases[phase]?.[side];
  return gates && gates.length > 0 ? [{ where: `phases.${phase}.${side}`, phase, env: null, side, gates }] : [];
};

export const LIFECYCLE: readonly PhaseDef[] = [
  {
    name: 'build',
    command: 'relmgr cut',
    perEnvironment: false,
    reached: 'cut',
    requires: [],
    // The plan phase ends where the build begins: its exit gates are passed before cut changes anything.
    entry: (config) => [...phaseGates(config, 'plan', 'exit'), ...phaseGates(config, 'build', 'entry')],
    steps: (config) => config?.phases.build?.steps ?? [],
    exit: (config) => phaseGates(config, 'build', 'exit'),
    runsAt: 'planned',
    effects: 'release',
    next: 'test',
  },
  {
    name: 'test',
    command: 'relmgr test',
    perEnvironment: false,
    reached: 'tested',
    requires: ['build'],
    entry: (config) => phaseGates(config, 'test', 'entry'),
    steps: (config) => config?.phases.test?.steps ?? [],
    exit: (config) => phaseGates(config, 'test', 'exit'),
    runsAt: 'release',
    effects: null,
    next: null,
  },
];

/** The row of a phase that has a runner, or undefined. */
export function phaseDef(name: PhaseName): PhaseDef | undefined {
  return LIFECYCLE.find((def) => def.name === name);
}

/** `build`, or `deploy staging`: a phase as people name it. */
export const phaseLabel = (ref: PhaseRef): string => (ref.env === null ? ref.phase : `${ref.phase} ${ref.env}`);
