import type { PathSegment } from './problems.js';

/** One lint result, at the key path of the offending value (the loader turns it into file:line:col). */
export interface Finding {
  path: PathSegment[];
  severity: 'error' | 'warning';
  message: string;
}
