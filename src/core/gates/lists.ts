import type { PathSegment } from '../config/problems.js';
import type { Config, Gate } from '../config/schema.js';
import { PHASES } from '../lifecycle/events.js';

export interface GateList {
  /** Where the list is: `environments.production.entry`. */
  path: PathSegment[];
  /** How `skip` names it: `production.entry`. */
  skipName: string;
  gates: Gate[];
}

/** Every list of gates in the config: each phase's and each environment's entry and exit. */
export function gateLists(config: Config): GateList[] {
  const lists: GateList[] = [];
  for (const phase of PHASES) {
    const spec = config.phases[phase];
    for (const side of ['entry', 'exit'] as const) {
      const gates = spec?.[side];
      if (gates) lists.push({ path: ['phases', phase, side], skipName: `${phase}.${side}`, gates });
    }
  }
  for (const [name, env] of Object.entries(config.environments)) {
    for (const side of ['entry', 'exit'] as const) {
      const gates = env[side];
      if (gates) lists.push({ path: ['environments', name, side], skipName: `${name}.${side}`, gates });
    }
  }
  return lists;
}
