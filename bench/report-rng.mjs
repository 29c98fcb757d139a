// Helpers of bench/report-history.mjs (kept apart so that the generator stays readable).

/** mulberry32: a small seeded PRNG (deterministic histories). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The ledger path of an event (src/core/lifecycle/events.ts eventPath). */
export const eventPathOf = (e) => `releases/${e.release}/${e.at.replace(/[-:]/g, '')}-${e.id}-${e.type}.json`;
