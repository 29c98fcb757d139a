/** Shared by the version-file locators: the error, the slot a version occupies, small helpers. */

/** The locator found nothing (or nothing it can rewrite safely); the message says what and where. */
export class VersionFileError extends Error {
  constructor(message: string, readonly path: string) {
    super(message);
    this.name = 'VersionFileError';
  }
}

/** Where a version lives in the text: the source range to replace and how to write it there. */
export interface Slot {
  start: number;
  end: number;
  current: string;
  write: (version: string) => string;
}

export const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length;

export function missing(file: string, format: string, path: readonly string[], depth: number): VersionFileError {
  const under = depth === 0 ? 'at the top level' : `under "${path.slice(0, depth).join('.')}"`;
  return new VersionFileError(`${file}: no ${format} key "${path.join('.')}" (no "${path[depth]}" ${under})`, file);
}

/** A JSON or TOML basic string's value (JSON's escapes are a subset of TOML's); invalid escapes stay as written. */
export function unquote(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}
