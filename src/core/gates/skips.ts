import type { Config } from '../config/schema.js';
import type { GateAt } from './address.js';
import { gateIds } from './ids.js';

/**
 * The emergency track's `skip` entry that applies to a gate, or null. An entry is
 * `<env>.<entry|exit>[.<gate id>]` or `<phase>.<entry|exit>[.<gate id>]`: without an id it names every
 * gate of that list. A production-tier environment's exit checks are never skipped.
 */
export function skipEntry(at: GateAt, config: Config, track: string): string | null {
  const emergency = config.tracks.emergency;
  if (track !== 'emergency' || !emergency) return null;
  if (at.kind === 'check' && at.side === 'exit' && at.env !== null && config.environments[at.env]?.tier === 'production') return null;
  const owner = at.env ?? at.phase;
  const ids = new Set([at.id, ...gateIds(at.gate)]);
  return (
    emergency.skip.find((entry) => {
      const [name, side, ...rest] = entry.split('.');
      const id = rest.join('.');
      return name === owner && side === at.side && (id === '' || ids.has(id));
    }) ?? null
  );
}

/** The freezes the emergency track may pass through, or none on another track. */
export function overridableFreezes(config: Config, track: string): string[] {
  return track === 'emergency' ? (config.tracks.emergency?.override_freezes ?? []) : [];
}
