import { describe, expect, it } from 'vitest';
import { FETCH_RACE } from '../../src/adapters/git-store.js';

describe('a ledger fetch that raced another relmgr in the same clone is fetched again', () => {
  it.each([
    // what a second clone's user saw while a background notification delivery fetched the ledger
    ["error: cannot lock ref 'refs/relmgr/remote/relmgr/ledger': is at fa45f24d but expected 9ea6fc51", true],
    ["fatal: Unable to create '/r/.git/refs/relmgr/remote/relmgr/ledger.lock': File exists.", true],
    ['error: failed to update ref refs/relmgr/remote/relmgr/ledger', true],
    ["fatal: 'origin' does not appear to be a git repository", false],
    ['fatal: unable to access https://example.com/r.git/: Could not resolve host: example.com', false],
    ["fatal: couldn't find remote ref refs/heads/relmgr/ledger", false],
  ])('%s → %s', (stderr, race) => {
    expect(FETCH_RACE.test(stderr)).toBe(race);
  });
});
