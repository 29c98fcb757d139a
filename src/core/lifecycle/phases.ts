import type { Config, Gate, Step } from '../config/schema.js';
import type { ConfigPhase, PhaseName } from './events.js';

/**
 * The release state: derived from the phase table, never stored. `deploying`: some environment has
 * it, not the production tier yet; `deployed`: the production tier has it; `monitoring`: the monitor
 * phase started (its soak and checks), `monitored`: it passed; `rolled_back`: the newest thing that
 * happened to it is a rollback that succeeded; `closed`: reviewed and closed (its outcome is kept).
 */
export type ReleaseStateName = 'planned' | 'cut' | 'tested' | 'deploying' | 'deployed' | 'monitoring' | 'monitored' | 'rolled_back' | 'closed' | 'failed' | 'abandoned';

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
  /**
   * The commit it runs at: the one the release was planned at (build), the release commit (test,
   * deploy), or whatever is checked out (monitor, close and rollback run the project's scripts for a
   * release already out, often long after, from a checkout of the branch).
   */
  runsAt: 'planned' | 'release' | 'anywhere';
  /** After its steps and exit gates: the repository changes it makes (cut's files, commit, tag, push), or none. */
  effects: 'release' | null;
  /** What comes after it succeeds (null: the end of what this relmgr version runs). */
  next: PhaseName | null;
}

/** A phase's own entry or exit gates, if it has any. */
const phaseGates = (config: Config | null, phase: ConfigPhase, side: 'entry' | 'exit'): GateSet[] => {
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
    next: 'deploy',
  },
  {
    // Once per environment, in promotion order: the deploy phase's own gates, then the environment's.
    name: 'deploy',
    command: 'relmgr deploy',
    perEnvironment: true,
    reached: 'deployed',
    requires: ['test'],
    entry: (config, env) => [...phaseGates(config, 'deploy', 'entry'), ...environmentGates(config, env, 'entry')],
    steps: (config, env) => (env === null ? [] : (config?.environments[env]?.deploy ?? [])),
    exit: (config, env) => [...environmentGates(config, env, 'exit'), ...phaseGates(config, 'deploy', 'exit')],
    runsAt: 'release',
    effects: null,
    next: 'monitor',
  },
  {
    name: 'monitor',
    command: 'relmgr monitor',
    perEnvironment: false,
    reached: 'monitored',
    requires: ['deploy'],
    entry: (config) => phaseGates(config, 'monitor', 'entry'),
    steps: (config) => config?.phases.monitor?.steps ?? [],
    exit: (config) => phaseGates(config, 'monitor', 'exit'),
    runsAt: 'anywhere',
    effects: null,
    next: 'feedback',
  },
  {
    name: 'feedback',
    command: 'relmgr close',
    perEnvironment: false,
    reached: 'closed',
    requires: [],
    entry: (config) => phaseGates(config, 'feedback', 'entry'),
    steps: (config) => config?.phases.feedback?.steps ?? [],
    exit: (config) => phaseGates(config, 'feedback', 'exit'),
    runsAt: 'anywhere',
    effects: null,
    next: null,
  },
  {
    // Not a step of the way forward: what undoes a deploy of one environment (on failure, or on demand).
    name: 'rollback',
    command: 'relmgr rollback',
    perEnvironment: true,
    reached: 'rolled_back',
    requires: [],
    entry: () => [],
    steps: (config, env) => (env === null ? [] : (config?.environments[env]?.rollback ?? [])),
    exit: () => [],
    runsAt: 'anywhere',
    effects: null,
    next: null,
  },
];

/** An environment's own entry or exit gates, if it has any. */
function environmentGates(config: Config | null, env: string | null, side: 'entry' | 'exit'): GateSet[] {
  const gates = env === null ? undefined : config?.environments[env]?.[side];
  return env !== null && gates && gates.length > 0 ? [{ where: `environments.${env}.${side}`, phase: 'deploy', env, side, gates }] : [];
}

/** The row of a phase that has a runner, or undefined. */
export function phaseDef(name: PhaseName): PhaseDef | undefined {
  return LIFECYCLE.find((def) => def.name === name);
}

/** `build`, or `deploy staging`: a phase as people name it. */
export const phaseLabel = (ref: PhaseRef): string => (ref.env === null ? ref.phase : `${ref.phase} ${ref.env}`);

/** What a person runs for a (phase, environment): `relmgr test`, `relmgr deploy staging`. */
export function phaseCommand(ref: PhaseRef): string {
  const command = phaseDef(ref.phase)?.command ?? 'relmgr resume';
  return ref.env === null ? command : `${command} ${ref.env}`;
}
