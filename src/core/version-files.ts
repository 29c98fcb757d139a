import { isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';

/**
 * Rewrites the version inside version files (DESIGN.md §5 `versioning.files`) by splicing only
 * the version's own characters: comments, key order, indentation, quoting, BOM, CRLF and the
 * trailing newline stay byte-for-byte. Each format is located precisely and never re-serialised:
 * YAML through the `yaml` Document API's source ranges, JSON and TOML through small scanners.
 */
export type VersionFileSpec =
  | string
  | { path: string; regex: string }
  | { path: string; yaml: string }
  | { path: string; json: string }
  | { path: string; toml: string };

/** The locator found nothing (or nothing it can rewrite safely); the message says what and where. */
export class VersionFileError extends Error {
  constructor(message: string, readonly path: string) {
    super(message);
    this.name = 'VersionFileError';
  }
}

/** Where a version lives in the text: the source range to replace and how to write it there. */
interface Slot {
  start: number;
  end: number;
  current: string;
  write: (version: string) => string;
}

type Locator = { kind: 'whole' } | { kind: 'regex' | 'yaml' | 'json' | 'toml'; key: string };

export function versionFilePath(spec: VersionFileSpec): string {
  return typeof spec === 'string' ? spec : spec.path;
}

/** Returns the new text. Throws VersionFileError when the locator finds nothing (never silently no-ops). */
export function setVersion(spec: VersionFileSpec, text: string, version: string): string {
  const file = versionFilePath(spec);
  checkVersion(version, file);
  const where = locator(spec, text);
  const out = splice(text, [locate(where, text, file)], version);
  // Structured formats are re-read so a value that would change the syntax around it (a plain
  // YAML scalar such as `1.0 #x`, a quote inside a literal string) fails instead of corrupting
  // the file. A regex need not match its own replacement, so it is taken at its word.
  if (where.kind !== 'regex' && readSlot(where, out, file) !== version) {
    throw new VersionFileError(`cannot write ${JSON.stringify(version)} into ${file} without changing more than the version`, file);
  }
  return out;
}

/** The version currently in the file per the locator (for status/dry-run), or null. */
export function readVersion(spec: VersionFileSpec, text: string): string | null {
  return readSlot(locator(spec, text), text, versionFilePath(spec));
}

/** package-lock.json: the root "version" and packages[""].version (lockfileVersion 1, 2 and 3), nothing else. */
export function setLockfileVersion(text: string, version: string): string {
  const file = 'package-lock.json';
  checkVersion(version, file);
  const slots = [jsonSlot(text, ['version'], file)];
  // lockfileVersion 1 has no `packages`; in 2 and 3 the root package is packages[""], and npm
  // writes its version whenever the root has one, so a missing one is reported, not skipped.
  const root = ['packages', '', 'version'];
  const found = jsonFind(text, root, file);
  if (found.depth >= 2) slots.push(jsonSlot(text, root, file, found));
  return splice(text, slots, version);
}

/** Versions and image tags never hold whitespace; refusing it keeps every splice on one line. */
function checkVersion(version: string, file: string): void {
  if (!/^\S+$/.test(version)) throw new VersionFileError(`refusing to write ${JSON.stringify(version)} into ${file}: not a version`, file);
}

function readSlot(where: Locator, text: string, file: string): string | null {
  try {
    const current = locate(where, text, file).current;
    return current === '' ? null : current;
  } catch (error) {
    if (error instanceof VersionFileError) return null;
    throw error;
  }
}

/** Applies the replacements back to front so earlier offsets stay valid. */
function splice(text: string, slots: Slot[], version: string): string {
  let out = text;
  for (const slot of [...slots].sort((a, b) => b.start - a.start)) out = out.slice(0, slot.start) + slot.write(version) + out.slice(slot.end);
  return out;
}

/** A plain path picks its format by name: package.json and *.json, *.yaml/*.yml, *.toml, else the whole file. */
function locator(spec: VersionFileSpec, text: string): Locator {
  if (typeof spec !== 'string') {
    if ('regex' in spec) return { kind: 'regex', key: spec.regex };
    if ('yaml' in spec) return { kind: 'yaml', key: spec.yaml };
    if ('json' in spec) return { kind: 'json', key: spec.json };
    return { kind: 'toml', key: spec.toml };
  }
  const name = spec.toLowerCase();
  if (name.endsWith('.json')) return { kind: 'json', key: 'version' };
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return { kind: 'yaml', key: 'version' };
  if (name.endsWith('.toml')) {
    // Cargo.toml keeps it in [package]; a file that fails to scan falls through to the plain key
    // and reports its syntax error from there.
    let hasPackage = false;
    try {
      hasPackage = scanToml(text, spec).tables.has('package');
    } catch {
      /* reported by locate() */
    }
    return { kind: 'toml', key: hasPackage ? 'package.version' : 'version' };
  }
  return { kind: 'whole' };
}

function locate(where: Locator, text: string, file: string): Slot {
  if (where.kind === 'whole') return wholeSlot(text, file);
  if (where.kind === 'regex') return regexSlot(text, where.key, file);
  const slot = { json: jsonSlot, yaml: yamlSlot, toml: tomlSlot }[where.kind];
  return slot(text, where.key.split('.'), file);
}

const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length;

function missing(file: string, format: string, path: readonly string[], depth: number): VersionFileError {
  const under = depth === 0 ? 'at the top level' : `under "${path.slice(0, depth).join('.')}"`;
  return new VersionFileError(`${file}: no ${format} key "${path.join('.')}" (no "${path[depth]}" ${under})`, file);
}

/** A VERSION file: everything between leading and trailing whitespace, which both stay. */
function wholeSlot(text: string, file: string): Slot {
  const end = text.trimEnd().length;
  const start = end === 0 ? 0 : text.length - text.trimStart().length; // blank file: write at the top
  const current = text.slice(start, end);
  // A multi-line file is not a version file; replacing all of it would lose data.
  if (/[\r\n]/.test(current)) throw new VersionFileError(`${file} holds more than a version (${lineOf(current, current.length)} lines); give it a regex, yaml, json or toml locator`, file);
  return { start, end, current, write: (v) => v };
}

/** The first match (multiline), or its group 1 when the pattern has groups. */
function regexSlot(text: string, pattern: string, file: string): Slot {
  let match: RegExpExecArray | null;
  try {
    match = new RegExp(pattern, 'md').exec(text);
  } catch (error) {
    throw new VersionFileError(`${file}: invalid regex ${JSON.stringify(pattern)}: ${(error as Error).message}`, file);
  }
  if (!match?.indices) throw new VersionFileError(`${file}: no match for regex ${JSON.stringify(pattern)}`, file);
  const range = match.length > 1 ? match.indices[1] : match.indices[0];
  if (!range) throw new VersionFileError(`${file}: regex ${JSON.stringify(pattern)} matched, but its group 1 did not take part in the match`, file);
  return { start: range[0], end: range[1], current: text.slice(range[0], range[1]), write: (v) => v };
}

/** YAML through the Document API: the scalar's exact source range, written in its own quoting style. */
function yamlSlot(text: string, path: readonly string[], file: string): Slot {
  const doc = parseDocument(text);
  const [error] = doc.errors;
  // Ranges are only trustworthy in a document that parsed cleanly (this also rejects duplicate keys).
  if (error) throw new VersionFileError(`${file} is not valid YAML: ${(error.message.split('\n')[0] as string).replace(/:$/, '')}`, file);
  let node: unknown = doc.contents;
  for (const [depth, segment] of path.entries()) {
    let next: unknown;
    if (isMap(node)) next = node.items.find((pair) => isScalar(pair.key) && String(pair.key.source ?? pair.key.value) === segment)?.value;
    else if (isSeq(node) && /^\d+$/.test(segment)) next = node.items[Number(segment)];
    if (next === undefined || next === null) throw missing(file, 'YAML', path, depth);
    node = next;
  }
  const key = path.join('.');
  if (isAlias(node)) throw new VersionFileError(`${file}: "${key}" is an alias; point the locator at its anchor`, file);
  if (!isScalar(node) || !node.range) throw new VersionFileError(`${file}: "${key}" is not a scalar`, file);
  const [start, end] = node.range;
  if (start === end) throw new VersionFileError(`${file}: "${key}" has no value`, file);
  // Numbers keep their source spelling: `1.10` must read as "1.10", not 1.1.
  const current = typeof node.value === 'string' ? node.value : text.slice(start, end);
  switch (node.type) {
    case 'PLAIN':
      return { start, end, current, write: (v) => v };
    case 'QUOTE_DOUBLE': // JSON string escapes are a subset of YAML's double-quoted ones
      return { start, end, current, write: (v) => JSON.stringify(v) };
    case 'QUOTE_SINGLE':
      return { start, end, current, write: (v) => `'${v.replaceAll("'", "''")}'` };
    default:
      throw new VersionFileError(`${file}: "${key}" is a block scalar (| or >); only plain or quoted scalars can be rewritten in place`, file);
  }
}

/**
 * JSON gets its own scanner instead of the YAML parser: an 11 MB package-lock.json costs the
 * YAML Document API ~5 s and ~540 MB, this scan ~50 ms. It records the source range of the value at
 * `path`, skips everything else without building it, rejects a duplicate key on the path (JSON
 * parsers disagree on which wins), and tolerates JSONC comments and trailing commas.
 */
function jsonFind(text: string, path: readonly string[], file: string): { range?: [number, number]; depth: number } {
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

function jsonSlot(text: string, path: readonly string[], file: string, found = jsonFind(text, path, file)): Slot {
  const { range, depth } = found;
  if (!range) throw missing(file, 'JSON', path, depth);
  const [start, end] = range;
  if (text[start] !== '"') throw new VersionFileError(`${file}: "${path.join('.')}" is not a string`, file);
  return { start, end, current: unquote(text.slice(start, end)), write: (v) => JSON.stringify(v) };
}

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
function scanToml(text: string, file: string): { entries: TomlEntry[]; tables: Set<string> } {
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

/** A JSON or TOML basic string's value (JSON's escapes are a subset of TOML's); invalid escapes stay as written. */
function unquote(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

function tomlSlot(text: string, path: readonly string[], file: string): Slot {
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
