import { fileURLToPath } from 'node:url';

/**
 * The installed package's root (where templates/ lives). This file compiles into dist/, one
 * level below the root, exactly as it sits in src/ — so the same relative URL works for both.
 */
export const packageRoot: string = fileURLToPath(new URL('..', import.meta.url));
