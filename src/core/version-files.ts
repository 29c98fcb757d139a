import { isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { jsonFind, jsonSlot } from './version-json.js';
import { lineOf, missing, VersionFileError, type Slot } from './version-slot.js';
import { scanToml, tomlSlot } from './version-toml.js';

/**
 * Rewrites the version inside version files (`versioning.files`) by splicing only
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

export { VersionFileError } from './version-slot.js';

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
