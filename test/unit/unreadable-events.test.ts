import { describe, expect, it } from 'vitest';
import { unreadableKind } from '../../src/core/lifecycle/events.js';
import { unreadableWarnings } from '../../src/ledger/ledger.js';

describe('files in the ledger this relmgr does not read', () => {
  it.each([
    ['{"v":2,"id":"a","type":"release.planned"}', { kind: 'newer', format: 2 }],
    ['{"v":7}', { kind: 'newer', format: 7 }],
    ['{"v":1}', { kind: 'foreign' }],
    ['{"v":"2"}', { kind: 'foreign' }],
    ['not json', { kind: 'foreign' }],
    ['', { kind: 'foreign' }],
  ])('%s is %o', (text, kind) => {
    expect(unreadableKind(text)).toEqual(kind);
  });

  it('says once that events come from a newer relmgr, with the upgrade; names foreign files one by one', () => {
    const warnings = unreadableWarnings([
      { path: 'releases/1.0.0/a-release.planned.json', kind: 'newer', format: 2 },
      { path: 'releases/1.0.0/b-phase.started.json', kind: 'newer', format: 2 },
      { path: 'notes.json', kind: 'foreign' },
    ]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^2 ledger events were written by a newer relmgr \(event format 2; this relmgr reads format 1\), e\.g\. releases\/1\.0\.0\/a-release\.planned\.json; ignored, so what is shown may be incomplete — upgrade relmgr to a version that reads event format 2 \(the one that wrote them\)$/);
    expect(warnings[1]).toBe('notes.json in the ledger is not a relmgr event; ignored');
    expect(unreadableWarnings([])).toEqual([]);
  });
});
