import type { ParsedCommit } from './commits.js';
import type { BumpLevel } from './bump.js';
import { releasableCommits } from './releasable.js';
import { closingReferences, type IssueReference } from './references.js';
import type { RepoLinks } from './remote.js';

/** The release model: one value feeds the changelog, notes and install docs. */
export interface CommitView {
  hash: string;
  shortHash: string;
  type: string | null;
  scope: string | null;
  subject: string;
  body: string | null;
  breaking: boolean;
  url: string | null;
  references: (IssueReference & { url: string | null })[];
  author: { name: string; email: string };
  date: string;
}

export interface BreakingView {
  hash: string;
  shortHash: string;
  scope: string | null;
  subject: string;
  /** The migration note. */
  text: string;
  url: string | null;
}

export interface GroupView {
  type: string;
  title: string;
  commits: CommitView[];
}

export interface ReleaseModel {
  project: string | null;
  /** The version, or null for an unreleased range with no version. */
  version: string | null;
  /** The heading: the version, or "Unreleased". */
  title: string;
  previousVersion: string | null;
  tag: string | null;
  previousTag: string | null;
  /** YYYY-MM-DD (UTC). */
  date: string;
  bump: string | null;
  track: string;
  repoUrl: string | null;
  compareUrl: string | null;
  breaking: BreakingView[];
  groups: GroupView[];
  commits: CommitView[];
  contributors: { name: string; email: string; commits: number }[];
  install: { commands: string[] };
  artifacts: { name: string; sha256: string; size: number }[];
  environments: { name: string; tier: string | null }[];
}

/** The conventionalcommits preset's sections, in order; hidden types are left out of documents. */
export const DEFAULT_SECTIONS: readonly { type: string; title: string; hidden: boolean }[] = [
  { type: 'feat', title: 'Features', hidden: false },
  { type: 'fix', title: 'Bug Fixes', hidden: false },
  { type: 'perf', title: 'Performance Improvements', hidden: false },
  { type: 'revert', title: 'Reverts', hidden: false },
  { type: 'docs', title: 'Documentation', hidden: true },
  { type: 'style', title: 'Styles', hidden: true },
  { type: 'chore', title: 'Miscellaneous Chores', hidden: true },
  { type: 'refactor', title: 'Code Refactoring', hidden: true },
  { type: 'test', title: 'Tests', hidden: true },
  { type: 'build', title: 'Build System', hidden: true },
  { type: 'ci', title: 'Continuous Integration', hidden: true },
];

export interface ModelInput {
  project: string | null;
  version: string | null;
  previousVersion: string | null;
  tag: string | null;
  previousTag: string | null;
  /** Where the range ends for the compare link when there is no tag yet (e.g. HEAD). */
  toRef: string;
  date: Date | string;
  bump: string | null;
  track?: string;
  /** The range's commits; reverted pairs and merges already counted by their branch are left out (releasable.ts). */
  commits: readonly ParsedCommit[];
  /** `versioning.types`, for the levels that decide whether a merge is covered by its branch. */
  types?: Readonly<Record<string, BumpLevel>>;
  links: RepoLinks | null;
  install?: { commands: string[] };
}

function isoDay(date: Date | string): string {
  const d = typeof date === 'string' ? new Date(date) : date;
  return Number.isNaN(d.getTime()) ? String(date).slice(0, 10) : d.toISOString().slice(0, 10);
}

function bySortKey(a: CommitView, b: CommitView): number {
  return (a.scope ?? '').localeCompare(b.scope ?? '') || a.subject.localeCompare(b.subject);
}

export function buildReleaseModel(input: ModelInput): ReleaseModel {
  const links = input.links;
  const views: CommitView[] = [];
  const breaking: BreakingView[] = [];
  const contributors = new Map<string, { name: string; email: string; commits: number }>();
  for (const commit of releasableCommits(input.commits, input.types).commits) {
    const url = links?.commitUrl ? links.commitUrl(commit.hash) : null;
    const references = closingReferences([commit.body, commit.footer].filter(Boolean).join('\n')).map((ref) => ({
      ...ref,
      url: links?.issueUrl && ref.repository === null ? links.issueUrl(ref.issue) : null,
    }));
    views.push({
      hash: commit.hash,
      shortHash: commit.shortHash,
      type: commit.type,
      scope: commit.scope,
      subject: commit.subject,
      body: commit.body,
      breaking: commit.breaking,
      url,
      references,
      author: commit.author,
      date: commit.date,
    });
    for (const note of commit.breakingNotes) {
      breaking.push({ hash: commit.hash, shortHash: commit.shortHash, scope: commit.scope, subject: commit.subject, text: note.text, url });
    }
    const key = commit.author.email.toLowerCase() || commit.author.name;
    const known = contributors.get(key);
    if (known) known.commits += 1;
    else contributors.set(key, { name: commit.author.name, email: commit.author.email, commits: 1 });
  }
  const groups: GroupView[] = [];
  for (const section of DEFAULT_SECTIONS) {
    if (section.hidden) continue;
    const commits = views.filter((v) => v.type === section.type).sort(bySortKey);
    if (commits.length > 0) groups.push({ type: section.type, title: section.title, commits });
  }
  const to = input.tag ?? input.toRef;
  return {
    project: input.project,
    version: input.version,
    title: input.version ?? 'Unreleased',
    previousVersion: input.previousVersion,
    tag: input.tag,
    previousTag: input.previousTag,
    date: isoDay(input.date),
    bump: input.bump,
    track: input.track ?? 'normal',
    repoUrl: links?.repoUrl ?? null,
    compareUrl: links?.compareUrl && input.previousTag ? links.compareUrl(input.previousTag, to) : null,
    breaking,
    groups,
    commits: views,
    contributors: [...contributors.values()],
    install: input.install ?? { commands: [] },
    artifacts: [],
    environments: [],
  };
}
