import type { Config, Gate, Step } from '../config/schema.js';
import type { PhaseName } from './events.js';

/** The release state: derived from the phase table, never stored. */
export type ReleaseStateName = 'planned' | 'cut' | 'tested' | 'failed' | 'abandoned';

/** Gates found at one place of the release config: `phases.build.entry`, say. */
export interface GateSet {
  where: string;
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

const gatesAt = (where: string, gates: readonly Gate[] | undefined): GateSet[] => (gates && gates.length > 0 ? [{ where, gates }] : []);

export const LIFECYCLE: readonly PhaseDef[] = [
  {
    name: 'build',
    command: 'relmgr cut',
    perEnvironment: false,
    reached: 'cut',
    requires: [],
    // The plan phase ends where the build begins: its exit gates are passed before cut changes anything.
    entry: (config) => [...gatesAt('phases.plan.exit', config?.phases.plan?.exit), ...gatesAt('phases.build.entry', config?.phases.build?.entry)],
    steps: (config) => config?.phases.build?.steps ?? [],
    exit: (config) => gatesAt('phases.build.exit', config?.phases.build?.exit),
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
    entry: (config) => gatesAt('phases.test.entry', config?.phases.test?.entry),
    steps: (config) => config?.phases.test?.steps ?? [],
    exit: (config) => gatesAt('phases.test.exit', config?.phases.test?.exit),
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
