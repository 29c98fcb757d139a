// Types of bench/report-rng.mjs, for the tests that use it.
/** mulberry32: a seeded PRNG, 0 ≤ n < 1 (deterministic synthetic data). */
export function rng(seed: number): () => number;
export function eventPathOf(event: { release: string; at: string; id: string; type: string }): string;
