import { describe, expect, it } from 'vitest';
import { viewerZone } from '../../src/main.js';

describe("the viewer's time zone", () => {
  const system = Intl.DateTimeFormat().resolvedOptions().timeZone;
  it.each([
    ['an IANA zone in TZ', { TZ: 'America/New_York' }, 'America/New_York'],
    ['TZ with the leading colon glibc allows', { TZ: ':Europe/Berlin' }, 'Europe/Berlin'],
    ['UTC', { TZ: 'UTC' }, 'UTC'],
    ['a POSIX rule Intl does not know: the system zone', { TZ: 'EST5EDT,M3.2.0,M11.1.0' }, system],
    ['no TZ: the system zone', {}, system],
  ])('%s', (_name, env, expected) => {
    expect(viewerZone(env)).toBe(expected);
  });
});
