// Helpers of bench/report-history.mjs (kept apart so that the generator stays readable).

/** The seeded PRNG the other synthetic repositories use (deterministic histories). */
export { rng } from './repos.mjs';

/** The ledger path of an event (src/core/lifecycle/events.ts eventPath). */
export const eventPathOf = (e) => `releases/${e.release}/${e.at.replace(/[-:]/g, '')}-${e.id}-${e.type}.json`;
