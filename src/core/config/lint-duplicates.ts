import type { Finding } from './finding.js';
import { formatPath, type PathSegment } from './problems.js';
import type { Gate } from './schema.js';
import type { GateList } from '../gates/lists.js';

/*
 * Gate ids that collide: `relmgr approve --gate X` and `relmgr attest --checklist X` take the first
 * gate with that id, so a second one could never be decided by name.
 */

interface Named {
  kind: 'approval' | 'checklist' | 'check' | 'window' | 'freeze' | 'wait';
  id: string;
  /** Where the id is written (the name inside a list of names, the `id` key, …). */
  path: PathSegment[];
}

function namesOf(gate: Gate, at: PathSegment[]): Named[] {
  const list = (kind: 'window' | 'freeze', value: string | string[]): Named[] =>
    Array.isArray(value) ? value.map((id, i) => ({ kind, id, path: [...at, kind, i] })) : [{ kind, id: value, path: [...at, kind] }];
  if (gate.approval) return [{ kind: 'approval', id: gate.approval.id, path: [...at, 'approval', 'id'] }];
  if (gate.checklist) return [{ kind: 'checklist', id: gate.checklist.id, path: [...at, 'checklist', 'id'] }];
  if (gate.check !== undefined) return [{ kind: 'check', id: gate.check, path: [...at, 'check'] }];
  if (gate.window !== undefined) return list('window', gate.window);
  if (gate.freeze !== undefined) return list('freeze', gate.freeze);
  if (gate.wait !== undefined) return [{ kind: 'wait', id: 'wait', path: [...at, 'wait'] }];
  return [];
}

const DECIDE: Partial<Record<Named['kind'], string>> = { approval: 'relmgr approve --gate', checklist: 'relmgr attest --checklist' };

export function lintDuplicateIds(lists: readonly GateList[], out: Finding[]): void {
  // Scope of `--gate`/`--checklist`: the phases together, or one environment (`--env`).
  const decided = new Map<string, Named>();
  for (const list of lists) {
    const scope = list.path[0] === 'phases' ? 'phases' : `env:${String(list.path[1])}`;
    const inList = new Map<string, Named>();
    list.gates.forEach((gate, index) => {
      for (const named of namesOf(gate, [...list.path, index])) {
        const key = `${named.kind}:${named.id}`;
        const first = inList.get(key);
        const command = DECIDE[named.kind];
        if (first) {
          const label = named.kind === 'wait' ? 'a wait' : `${named.kind} "${named.id}"`;
          const message = `${label} is listed twice in ${formatPath(list.path)} (first at ${formatPath(first.path.slice(0, 4))})`;
          if (command) out.push({ path: named.path, severity: 'error', message: `${message}: \`${command} ${named.id}\` could only ever decide the first; give each its own id` });
          else out.push({ path: named.path, severity: 'warning', message: `${message}: ${named.kind === 'wait' ? 'only the longer counts' : 'the second adds nothing'}` });
          continue;
        }
        inList.set(key, named);
        if (!command) continue;
        const elsewhere = decided.get(`${scope}:${key}`);
        if (elsewhere) {
          out.push({
            path: named.path,
            severity: 'warning',
            message: `${named.kind} id "${named.id}" is also used at ${formatPath(elsewhere.path.slice(0, 4))}: \`${command} ${named.id}\` is ambiguous and decides the first; give each its own id`,
          });
        } else decided.set(`${scope}:${key}`, named);
      }
    });
  }
}
