import type { LedgerState, ReleaseView } from '../core/lifecycle/fold.js';
import { PreconditionError } from '../errors.js';

/** The release a command acts on: `--release V`, else the open one. */
export function targetRelease(state: LedgerState, version: string | undefined): ReleaseView {
  if (version !== undefined) {
    const found = [...state.releases].reverse().find((r) => r.version === version || r.tag === version);
    if (!found) throw new PreconditionError('E_NO_RELEASE', `the ledger has no release ${version}`, { hint: 'see the releases with: relmgr ledger log' });
    return found;
  }
  if (!state.open) throw new PreconditionError('E_NO_RELEASE', 'there is no open release', { hint: 'open one with: relmgr plan' });
  return state.open;
}
