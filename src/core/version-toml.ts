import { lineOf, unquote, VersionFileError, type Slot } from './version-slot.js';

interface TomlEntry {
  path: string[];
  start: number;
  end: number;
  /** The quote of a single-line string value; null for anything else. */
  quote: '"' | "'" | null;
}

/**
 * A targeted TOML scanner: table headers and `key = value` lines with their full dotted path
 * (table + key), skipping over strings (multi-line too), arrays and inline tables so a `[` or a
 * `version =` inside them is never mistaken for structure. Array tables ([[bin]]) are skipped.
 */
export function scanToml(text: string, file: string): { entries: TomlEntry[]; tables: Set<string> } {
  const entries: TomlEntry[] = [];
  const tables = new Set<string>();
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let table: string[] | null = [];
  const fail = (what: string): never => {
    throw new VersionFileError(`${file} is not valid TOML: ${what} at line ${lineOf(text, i)}`, file);
  };
  const skip = (pattern: RegExp): void => {
    pattern.lastIndex = i;
    if (pattern.test(text)) i = pattern.lastIndex;
  };
  const spaces = /[ \t]*/y;
  const restOfLine = /[ \t]*(#[^\n]*)?(\r?\n|$)/y;
  const blankLines = /(\s|#[^\n]*)*/y;
  // The end of a string starting at i (after its closing delimiter).
  const stringEnd = (): number => {
    const quote = text.startsWith('"""', i) || text.startsWith("'''", i) ? text.slice(i, i + 3) : (text[i] as string);
    for (let j = i + quote.length; j < text.length; j++) {
      if (quote[0] === '"' && text[j] === '\\') j++;
      else if (text.startsWith(quote, j)) return j + quote.length;
      else if (quote.length === 1 && text[j] === '\n') break;
    }
    return fail('unterminated string');
  };
  const bare = /[A-Za-z0-9_-]+/y;
  const keys = (): string[] => {
    const out: string[] = [];
    for (;;) {
      skip(spaces);
      bare.lastIndex = i;
      if (text[i] === '"' || text[i] === "'") {
        const end = stringEnd();
        const raw = text.slice(i, end);
        out.push(raw[0] === '"' ? unquote(raw) : raw.slice(1, -1));
        i = end;
      } else if (bare.test(text)) {
        out.push(text.slice(i, bare.lastIndex));
        i = bare.lastIndex;
      } else fail('expected a key');
      skip(spaces);
      if (text[i] !== '.') return out;
      i++;
    }
  };
  for (skip(blankLines); i < text.length; skip(blankLines)) {
    if (text[i] === '[') {
      const array = text[i + 1] === '[';
      i += array ? 2 : 1;
      const name = keys();
      if (!text.startsWith(array ? ']]' : ']', i)) fail('expected "]"');
      i += array ? 2 : 1;
      table = array ? null : name;
      if (!array) tables.add(name.join('.'));
    } else {
      const key = keys();
      if (text[i] !== '=') fail('expected "="');
      i++;
      skip(spaces);
      const start = i;
      const single = (text[i] === '"' || text[i] === "'") && !text.startsWith(text.slice(i, i + 1).repeat(3), i);
      if (single) i = stringEnd();
      // Any other value: walk to the end of the line outside brackets, strings and comments.
      for (let depth = 0; !single && i < text.length && (depth > 0 || !/[\r\n#]/.test(text[i] as string)); ) {
        const c = text[i] as string;
        if (c === '"' || c === "'") i = stringEnd();
        else if (c === '#') skip(/#[^\n]*/y);
        else {
          if (c === '[' || c === '{') depth++;
          if (c === ']' || c === '}') depth--;
          i++;
        }
      }
      const end = single ? i : text.slice(start, i).trimEnd().length + start;
      if (table) entries.push({ path: [...table, ...key], start, end, quote: single ? (text[start] as '"' | "'") : null });
    }
    restOfLine.lastIndex = i;
    if (!restOfLine.test(text)) fail('expected the end of the line');
    i = restOfLine.lastIndex;
  }
  return { entries, tables };
}

export function tomlSlot(text: string, path: readonly string[], file: string): Slot {
  const found = scanToml(text, file).entries.filter((e) => e.path.join('\0') === path.join('\0'));
  const key = path.at(-1) as string;
  const where = path.length > 1 ? `in [${path.slice(0, -1).join('.')}]` : 'before the first table';
  const [entry, twice] = found;
  if (!entry) throw new VersionFileError(`${file}: no TOML key "${key}" ${where}`, file);
  if (twice) throw new VersionFileError(`${file}: TOML key "${key}" is defined twice ${where}`, file);
  if (!entry.quote) throw new VersionFileError(`${file}: TOML key "${key}" ${where} is not a single-line string`, file);
  const { start, end, quote } = entry;
  const raw = text.slice(start + 1, end - 1);
  const current = quote === '"' ? unquote(`"${raw}"`) : raw;
  return { start, end, current, write: (v) => (quote === '"' ? JSON.stringify(v) : `'${v}'`) };
}
