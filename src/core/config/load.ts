import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { lintConfig } from './lint.js';
import { didYouMean, formatPath, sortProblems, type PathSegment, type Problem } from './problems.js';
import { configSchema, type Config } from './schema.js';
import { knownKeysAt } from './shape.js';

export interface ParsedConfig {
  /** The validated config with defaults, or null when there is any error. */
  config: Config | null;
  /** Every error and warning, in file order. */
  problems: Problem[];
  /** Where the value at a key path is written (line 1, col 1 when it is not). */
  position?: (path: readonly PathSegment[]) => { line: number; col: number };
}

type Issue = z.core.$ZodIssue;

class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly file: string,
    private readonly text: string,
  ) {}

  /** The value's text as written in the file (e.g. `1.0` before YAML made it the number 1). */
  source(path: readonly PathSegment[]): string | undefined {
    const { node, depth } = this.node(path);
    return node?.range && depth === path.length ? this.text.slice(node.range[0], node.range[1]) : undefined;
  }

  /** The key written at `offset` (for YAML's own errors, which carry only an offset). */
  keyAt(offset: number): string {
    return /^["']?([^"':\n]+)/.exec(this.text.slice(offset, offset + 200))?.[1]?.trim() ?? '';
  }

  at(offset: number): { line: number; col: number } {
    const pos = this.lines.linePos(offset);
    return { line: pos.line, col: pos.col };
  }

  /** The node at `path`, or the deepest existing ancestor (with how deep it got). */
  node(path: readonly PathSegment[]): { node: Node | null; depth: number } {
    let current: unknown = this.doc.contents;
    let depth = 0;
    for (const segment of path) {
      if (!isNode(current)) break;
      const next = (current as { get?: (k: unknown, keep: boolean) => unknown }).get?.(segment, true);
      if (!isNode(next)) break;
      current = next;
      depth += 1;
    }
    return { node: isNode(current) ? current : null, depth };
  }

  /** Position of the key `key` in the map at `path` (for unknown keys), else of the map. */
  key(path: readonly PathSegment[], key: string): { line: number; col: number } {
    const { node } = this.node(path);
    if (isMap(node)) {
      for (const item of node.items) {
        if (isPair(item) && isScalar(item.key) && String(item.key.value) === key && item.key.range) return this.at(item.key.range[0]);
      }
    }
    return this.position(path);
  }

  position(path: readonly PathSegment[]): { line: number; col: number } {
    const { node } = this.node(path);
    return node?.range ? this.at(node.range[0]) : { line: 1, col: 1 };
  }

  problem(path: readonly PathSegment[], message: string, severity: Problem['severity'] = 'error', at?: { line: number; col: number }): Problem {
    return { file: this.file, ...(at ?? this.position(path)), path: formatPath(path), severity, message };
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `${typeof value === 'number' ? 'the number' : 'the value'} ${String(value)}`;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

const ARTICLE: Record<string, string> = { array: 'a list', object: 'a mapping', string: 'a string', number: 'a number', boolean: 'true or false', int: 'a whole number' };

/** Picks the union branch that explains the value best, or reports unknown keys common to all. */
function unionIssues(issue: Extract<Issue, { code: 'invalid_union' }>): Issue[] {
  const branches = issue.errors.filter((branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0));
  if (branches.length === 0) return [issue];
  const unknownEverywhere = branches.every((branch) => branch.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0));
  if (unknownEverywhere) {
    const first = branches[0]?.find((i) => i.code === 'unrecognized_keys' && i.path.length === 0);
    if (first) return [first];
  }
  return [...branches].sort((a, b) => a.length - b.length)[0] ?? [issue];
}

function issueProblems(issue: Issue, base: readonly PathSegment[], data: unknown, where: Locator): Problem[] {
  const path = [...base, ...(issue.path as PathSegment[])];
  switch (issue.code) {
    case 'invalid_union': {
      const chosen = unionIssues(issue);
      if (chosen.length === 1 && chosen[0] === issue) return [where.problem(path, `not a valid value: ${describeValue(valueAt(data, path))}`)];
      return chosen.flatMap((inner) => issueProblems(inner, path, data, where));
    }
    case 'unrecognized_keys': {
      const known = knownKeysAt(configSchema, path);
      return issue.keys.map((key) => {
        const suggestion = didYouMean(key, known);
        const hint = suggestion ? ` (did you mean "${suggestion}"?)` : known.length > 0 ? ` (allowed: ${known.join(', ')})` : '';
        return where.problem([...path, key], `unknown key "${key}"${hint}`, 'error', where.key(path, key));
      });
    }
    case 'invalid_type': {
      const value = valueAt(data, path);
      const expected = ARTICLE[issue.expected] ?? issue.expected;
      if (value === undefined) {
        const key = path[path.length - 1];
        return [{ ...where.problem(path.slice(0, -1), `missing required key "${String(key)}" (${expected})`), path: formatPath(path) }];
      }
      const written = where.source(path);
      const quote = issue.expected === 'string' && written !== undefined && typeof value !== 'object' ? ` (quote it: "${written}")` : '';
      return [where.problem(path, `expected ${expected}, got ${describeValue(value)}${quote}`)];
    }
    case 'invalid_value':
      return [where.problem(path, `must be ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`}, got ${describeValue(valueAt(data, path))}`)];
    case 'too_small':
      if (issue.origin === 'array') return [where.problem(path, `needs at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`)];
      if (issue.origin === 'string') return [where.problem(path, 'must not be empty')];
      return [where.problem(path, `must be at least ${String(issue.minimum)}`)];
    case 'too_big':
      return [where.problem(path, `must be at most ${String(issue.maximum)}`)];
    default:
      return [where.problem(path, issue.message)];
  }
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.col}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Removes the values zod rejected (deepest first, a few rounds) until the rest validates, and
 * returns that rest — or null. Array elements are spliced out, so positions of later elements of
 * the same list can shift; only lint findings use the result.
 */
function repair(data: object, firstIssues: readonly Issue[]): Config | null {
  const copy = structuredClone(data) as Record<string, unknown>;
  let issues = firstIssues;
  for (let round = 0; round < 8; round++) {
    const removals: PathSegment[][] = [];
    for (const issue of issues) {
      const path = issue.path as PathSegment[];
      if (issue.code === 'unrecognized_keys') for (const key of issue.keys) removals.push([...path, key]);
      else removals.push(valueAt(copy, path) === undefined ? path.slice(0, -1) : path);
    }
    if (removals.some((path) => path.length === 0)) return null;
    removals.sort((a, b) => b.length - a.length || Number(b[b.length - 1]) - Number(a[a.length - 1]));
    for (const path of removals) {
      const parent = valueAt(copy, path.slice(0, -1));
      const last = path[path.length - 1] as PathSegment;
      if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
      else if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[last];
    }
    const again = configSchema.safeParse(copy);
    if (again.success) return again.data;
    issues = again.error.issues;
  }
  return null;
}

/** Parses and validates release.config.yaml text. Pure: the caller reads the file. */
export function parseConfig(text: string, file: string): ParsedConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const where = new Locator(doc, lines, file, text);
  const problems: Problem[] = [];
  let fatal = false;
  for (const error of doc.errors) {
    const at = where.at(error.pos[0]);
    const duplicate = error.code === 'DUPLICATE_KEY';
    fatal ||= !duplicate;
    const message = duplicate
      ? `duplicate key "${where.keyAt(error.pos[0])}": a key may appear once in a mapping (the later one would silently win)`
      : `YAML syntax error: ${error.message.split('\n')[0]}`;
    problems.push({ file, ...at, path: '', severity: 'error', message });
  }
  for (const warning of doc.warnings) problems.push({ file, ...where.at(warning.pos[0]), path: '', severity: 'warning', message: warning.message.split('\n')[0] ?? '' });
  if (fatal) return { config: null, problems: sortProblems(problems) };

  const data: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.push(where.problem([], `the file must be a mapping of keys (schema, project, versioning, …), got ${describeValue(data)}`));
    return { config: null, problems: sortProblems(problems) };
  }
  const result = configSchema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues;
    const strayKinds = new Set(issues.filter((i) => i.code === 'unrecognized_keys').map((i) => formatPath(i.path as PathSegment[])));
    for (const issue of issues) {
      // "a gate has exactly one kind" adds nothing when the kind itself is misspelled.
      if (issue.code === 'custom' && strayKinds.has(formatPath(issue.path as PathSegment[]))) continue;
      problems.push(...issueProblems(issue, [], data, where));
    }
    // Lint what is left once the invalid parts are cut out, so one run reports everything.
    const repaired = repair(data, issues);
    if (repaired) for (const finding of lintConfig(repaired, data)) problems.push(where.problem(finding.path, finding.message, finding.severity));
    return { config: null, problems: sortProblems(dedupe(problems)) };
  }
  for (const finding of lintConfig(result.data)) problems.push(where.problem(finding.path, finding.message, finding.severity));
  const failed = problems.some((p) => p.severity === 'error');
  return { config: failed ? null : result.data, problems: sortProblems(problems), position: (path) => where.position(path) };
}
