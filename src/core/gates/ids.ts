import type { Config, Gate } from '../config/schema.js';

const asList = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

/** The kind of a gate: the one key it has. */
export type GateKind = 'approval' | 'checklist' | 'check' | 'window' | 'freeze' | 'wait';

export function gateKind(gate: Gate): GateKind | null {
  if (gate.approval) return 'approval';
  if (gate.checklist) return 'checklist';
  if (gate.check !== undefined) return 'check';
  if (gate.window !== undefined) return 'window';
  if (gate.freeze !== undefined) return 'freeze';
  if (gate.wait !== undefined) return 'wait';
  return null;
}

/** The names a gate goes by (for `skip`, `approve --gate`, `attest --checklist`). */
export function gateIds(gate: Gate): string[] {
  if (gate.approval) return [gate.approval.id];
  if (gate.checklist) return [gate.checklist.id];
  if (gate.check) return [gate.check];
  if (gate.window) return asList(gate.window);
  if (gate.freeze) return asList(gate.freeze);
  if (gate.wait) return ['wait'];
  return [];
}

/**
 * Who a list of principals names: emails as they are (lower-cased), groups through `groups`.
 * Names that are neither are returned in `unknown` (lint reports them; nobody is eligible through them).
 */
export function eligiblePeople(groups: Config['groups'], principals: string | string[]): { people: Set<string>; unknown: string[] } {
  const people = new Set<string>();
  const unknown: string[] = [];
  for (const who of asList(principals)) {
    if (who.includes('@')) people.add(who.toLowerCase());
    else if (groups[who]) for (const email of groups[who]) people.add(email.toLowerCase());
    else unknown.push(who);
  }
  return { people, unknown };
}
