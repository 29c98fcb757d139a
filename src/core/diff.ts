/**
 * Unified diffs for `--dry-run`: file edits are shown the way `git
 * diff` shows them, and the text applies with `git apply`. Pure: two strings in, text out.
 */

/** Beyond this many changed lines on either side the O(n·m) table (2 bytes a cell) is not built. */
const MAX_LINES = 5_000;

type Op = { kind: ' ' | '-' | '+'; line: string };

/**
 * `--- a/path`, `+++ b/path`, then `@@ -l,s +l,s @@` hunks with `context` lines around each
 * change; `\ No newline at end of file` follows a last line that has none. Empty when identical.
 */
export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const ops = diffLines(splitLines(before), splitLines(after));
  // oldAt[k] / newAt[k]: how many old / new lines come before ops[k], for the hunk headers.
  const oldAt = [0];
  const newAt = [0];
  ops.forEach((op, k) => {
    oldAt.push((oldAt[k] as number) + (op.kind === '+' ? 0 : 1));
    newAt.push((newAt[k] as number) + (op.kind === '-' ? 0 : 1));
  });
  let out = `--- a/${path}\n+++ b/${path}\n`;
  for (const [start, end] of hunks(ops, Math.max(0, context))) {
    const oldCount = (oldAt[end] as number) - (oldAt[start] as number);
    const newCount = (newAt[end] as number) - (newAt[start] as number);
    out += `@@ -${range(oldAt[start] as number, oldCount)} +${range(newAt[start] as number, newCount)} @@\n`;
    for (const { kind, line } of ops.slice(start, end)) {
      out += line.endsWith('\n') ? `${kind}${line}` : `${kind}${line}\n\\ No newline at end of file\n`;
    }
  }
  return out;
}

/**
 * Lines keep their `\n` (and a CRLF file's `\r`), so a last line without a newline differs from
 * the same text with one — exactly the case `\ No newline at end of file` describes.
 */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** `l,s` as diff and git write it: `,1` is left out, and an empty range names the line before it. */
function range(linesBefore: number, count: number): string {
  if (count === 0) return `${linesBefore},0`;
  return count === 1 ? `${linesBefore + 1}` : `${linesBefore + 1},${count}`;
}

/** The edit script: the common prefix and suffix are kept as they are, the middle goes through LCS. */
function diffLines(a: string[], b: string[]): Op[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const keep = (line: string): Op => ({ kind: ' ', line });
  const x = a.slice(prefix, a.length - suffix);
  const y = b.slice(prefix, b.length - suffix);
  // Too big for the table: the changed middle as one replacement (still a correct diff).
  const middle =
    x.length > MAX_LINES || y.length > MAX_LINES
      ? [...x.map((line): Op => ({ kind: '-', line })), ...y.map((line): Op => ({ kind: '+', line }))]
      : lcs(x, y);
  return [...a.slice(0, prefix).map(keep), ...middle, ...a.slice(a.length - suffix).map(keep)];
}

/** Longest common subsequence by dynamic programming; removals come before additions in a change. */
function lcs(x: string[], y: string[]): Op[] {
  const n = x.length;
  const m = y.length;
  const width = m + 1;
  // table[i * width + j]: the LCS length of x[i..] and y[j..] (≤ MAX_LINES, so 16 bits suffice).
  const table = new Uint16Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] =
        x[i] === y[j] ? (table[(i + 1) * width + j + 1] as number) + 1 : Math.max(table[(i + 1) * width + j] as number, table[i * width + j + 1] as number);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      ops.push({ kind: ' ', line: x[i++] as string });
      j++;
    } else if (j >= m || (i < n && (table[(i + 1) * width + j] as number) >= (table[i * width + j + 1] as number))) {
      ops.push({ kind: '-', line: x[i++] as string });
    } else {
      ops.push({ kind: '+', line: y[j++] as string });
    }
  }
  return ops;
}

/** [start, end) op ranges: each change with `context` lines around it, merged when they would touch. */
function hunks(ops: Op[], context: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]?.kind === ' ') {
      k++;
      continue;
    }
    const start = Math.max(k - context, out.at(-1)?.[1] ?? 0);
    let end = k;
    // Extend over runs of unchanged lines short enough that the next change shares the hunk.
    while (end < ops.length) {
      if (ops[end]?.kind !== ' ') {
        end++;
        continue;
      }
      let next = end;
      while (next < ops.length && ops[next]?.kind === ' ') next++;
      if (next === ops.length || next - end > 2 * context) break;
      end = next;
    }
    const stop = Math.min(ops.length, end + context);
    out.push([start, stop]);
    k = stop;
  }
  return out;
}
