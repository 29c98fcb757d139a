/** Issue references in commit messages, read only where a document needs them (cheap regexes). */
export interface IssueReference {
  /** `closes`, `fixes`, … as written (lower-cased), or null for a bare mention. */
  action: string | null;
  /** `owner/repo` for cross-repository references, else null. */
  repository: string | null;
  issue: string;
  /** As written: `#12`, `owner/repo#12`. */
  raw: string;
}

const ACTIONED =
  /\b(close[sd]?|fix(?:e[sd])?|resolve[sd]?)[:\s]+((?:[\w.-]+\/[\w.-]+)?#\d+(?:\s*,\s*(?:[\w.-]+\/[\w.-]+)?#\d+)*)/gi;
const ONE = /(?:([\w.-]+\/[\w.-]+))?#(\d+)/g;

/** The references a commit's body and footer close (`Closes #12`, `Fixes owner/repo#3, #4`). */
export function closingReferences(text: string | null): IssueReference[] {
  if (!text) return [];
  const out: IssueReference[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(ACTIONED)) {
    const action = (match[1] as string).toLowerCase();
    for (const ref of (match[2] as string).matchAll(ONE)) {
      const raw = ref[0];
      if (seen.has(raw)) continue;
      seen.add(raw);
      out.push({ action, repository: ref[1] ?? null, issue: ref[2] as string, raw });
    }
  }
  return out;
}

/** Replaces `#12` in a subject with a markdown link, leaving code spans alone. */
export function linkIssuesInText(text: string, issueUrl: ((issue: string) => string) | null): string {
  if (issueUrl === null || !text.includes('#')) return text;
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/(^|[\s(,[])#(\d+)\b/g, (_m, lead: string, n: string) => `${lead}[#${n}](${issueUrl(n)})`)))
    .join('');
}
