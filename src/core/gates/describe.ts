import type { Gate } from '../config/schema.js';
import { gateIds } from './ids.js';

/** Words for people about a gate: `approval signoff (1 from release-managers)`. */
export function describeGate(gate: Gate): string {
  if (gate.approval) return `approval ${gate.approval.id} (${gate.approval.rules.map((r) => `${r.min} from ${[r.from].flat().join('/')}`).join(', ')})`;
  if (gate.checklist) return `checklist ${gate.checklist.id} (${gate.checklist.items.length} item${gate.checklist.items.length === 1 ? '' : 's'})`;
  if (gate.check) return `check ${gate.check}`;
  if (gate.wait) return `wait ${gate.wait}`;
  return `${gate.window ? 'window' : 'freeze'} ${gateIds(gate).join(', ')}`;
}
