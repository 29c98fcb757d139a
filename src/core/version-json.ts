import { lineOf, missing, unquote, VersionFileError, type Slot } from './version-slot.js';

/**
 * JSON gets its own scanner instead of the YAML parser: an 11 MB package-lock.json costs the
 * YAML Document API ~5 s and ~540 MB, this scan ~50 ms. It records the source range of the value at
 * `path`, skips everything else without building it, rejects a duplicate key on the path (JSON
 * parsers disagree on which wins), and tolerates JSONC comments and trailing commas.
 */
export function jsonFind(text: string, path: readonly string[], file: string): { range?: [number, number]; depth: number } {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let range: [number, number] | undefined;
  let reached = 0;
  const fail = (what: string): never => {
    throw new VersionFileError(`${file} is not valid JSON: ${what} at line ${lineOf(text, i)}`, file);
  };
  const blank = (): void => {
    for (;;) {
      space.lastIndex = i;
      space.test(text);
      i = space.lastIndex;
      if (text.startsWith('//', i)) i = text.includes('\n', i) ? text.indexOf('\n', i) : text.length;
      else if (text.startsWith('/*', i)) i = text.includes('*/', i + 2) ? text.indexOf('*/', i + 2) + 2 : fail('unterminated comment');
      else return;
    }
  };
  const string = (): void => {
    let j = i + 1;
    for (;;) {
      j = text.indexOf('"', j);
      if (j < 0) fail('unterminated string');
      let slashes = 0;
      while (text[j - 1 - slashes] === '\\') slashes++;
      if (slashes % 2 === 0) break; // an even run of backslashes does not escape the quote
      j++;
    }
    i = j + 1;
  };
  const space = /\s*/y;
  const literal = /[^\s,:[\]{}"/]+/y;
  const value = (depth: number, onPath: boolean): void => {
    blank();
    const start = i;
    const open = text[i];
    if (open === '{' || open === '[') {
      const close = open === '{' ? '}' : ']';
      let index = 0;
      let hits = 0;
      i++;
      for (blank(); text[i] !== close; blank()) {
        const wanted = onPath && depth < path.length;
        let key = wanted && open === '[' ? String(index) : undefined;
        index++;
        if (open === '{') {
          if (text[i] !== '"') fail('expected a key');
          const keyStart = i;
          string();
          // Only keys on the path are decoded: this is where a big lockfile spends its time.
          if (wanted) key = unquote(text.slice(keyStart, i));
          blank();
          if (text[i] !== ':') fail('expected ":"');
          i++;
        }
        const hit = key !== undefined && key === path[depth];
        if (hit && ++hits > 1) fail(`duplicate key "${key}"`);
        if (hit) reached = depth + 1;
        value(depth + 1, hit);
        blank();
        if (text[i] === ',') i++;
        else if (text[i] !== close) fail(`expected "," or "${close}"`);
      }
      i++;
    } else if (open === '"') string();
    else {
      literal.lastIndex = i;
      if (!literal.test(text)) fail('unexpected character');
      i = literal.lastIndex;
    }
    if (onPath && depth === path.length) range = [start, i];
  };
  value(0, true);
  blank();
  if (i < text.length) fail('unexpected content after the top-level value');
  return range ? { range, depth: path.length } : { depth: reached };
}

export function jsonSlot(text: string, path: readonly string[], file: string, found = jsonFind(text, path, file)): Slot {
  const { range, depth } = found;
  if (!range) throw missing(file, 'JSON', path, depth);
  const [start, end] = range;
  if (text[start] !== '"') throw new VersionFileError(`${file}: "${path.join('.')}" is not a string`, file);
  return { start, end, current: unquote(text.slice(start, end)), write: (v) => JSON.stringify(v) };
}
