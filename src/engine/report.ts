import semver from 'semver';
import type { CommitNode, GitPort } from '../adapters/git.js';
import type { Context } from '../context.js';
import type { ReleaseView } from '../core/lifecycle/fold.js';
import { computeReport } from '../core/report/compute.js';
import type { Report } from '../core/report/model.js';
import { parseVersionRange, resolvePeriod } from '../core/report/period.js';
import { nearestVersions, scopeReport, unknownEnds, type ReportScope, type Scoped } from '../core/report/scope.js';
import { PreconditionError, UsageError } from '../errors.js';
import { unreadableWarnings } from '../ledger/ledger.js';
import type { Prepared } from './config.js';
import { openSession } from './session.js';

export interface ReportRequest {
  from?: string | undefined;
  to?: string | undefined;
  versions?: string | undefined;
}

/** A release commit (`chore(release): v1.2.0`): not a change, so never a lead time. */
const RELEASE_COMMIT = /^chore\(release\): v\S+$/;

/** The report: one read of the ledger, one `git log` for the commit times of every release in it. */
export async function buildReport(ctx: Context, prepared: Prepared, request: ReportRequest): Promise<Report> {
  const config = prepared.loaded.config;
  const timezone = config?.calendars.timezone ?? 'UTC';
  const now = ctx.wallClock.now();
  if (request.versions !== undefined && (request.from !== undefined || request.to !== undefined)) {
    throw new UsageError('E_USAGE', '--versions and --from/--to each say what the report covers: give one of them', { hint: `relmgr report --versions ${request.versions}` });
  }
  // Flags are checked before the ledger is read: a typo costs nothing.
  const scope: ReportScope = request.versions !== undefined ? { versions: parseVersionRange(request.versions), timezone } : { period: resolvePeriod(request, timezone, now) };
  // Every release's events but their steps and effects (most of a ledger): what a release was, not how each step ran.
  const session = await openSession(ctx, prepared, { write: false, all: true, pick: (name) => !/^(step|effect)\./.test(name.type) });
  try {
    const notes = unreadableWarnings(session.ledger.unreadable);
    const scoped = scopeReport(session.events, config, scope);
    if ('versions' in scope) refuseUnknown(scope.versions, scoped, request.versions ?? '');
    const commits = await commitTimes(prepared.git, scoped, notes);
    return computeReport(scoped, { config, now, commits, notes });
  } finally {
    await session.close();
  }
}

function refuseUnknown(range: { from: string; to: string }, scoped: Scoped, text: string): void {
  const known = scoped.all.map((r) => r.version);
  const unknown = unknownEnds(range, known);
  if (unknown.length === 0) return;
  const near = (v: string) => nearestVersions(v, known);
  const nearest = [...new Set(unknown.flatMap((v) => [near(v).below, near(v).above].filter((n): n is string => n !== null)))].sort(semver.compare);
  // The range narrowed to known ends: the start moves up to the next release, the end down to the one before.
  const from = unknown.includes(range.from) ? near(range.from).above : range.from;
  const to = unknown.includes(range.to) ? near(range.to).below : range.to;
  const works = from !== null && to !== null && semver.lte(from, to) ? `relmgr report --versions ${from}..${to}` : 'relmgr report (the last 90 days)';
  throw new PreconditionError('E_NO_RELEASE', `--versions ${text}: no release has version ${unknown.join(' or ')}`, {
    hint: `${known.length === 0 ? 'the ledger has no releases yet' : `the nearest known: ${nearest.join(', ')}`}; try: ${works}`,
  });
}

/**
 * The committer times of the commits each release of the report first brought to production
 * (release commits excluded): one `git log` from the tags of those releases, not reaching the tag
 * of the last release before the earliest that reached production. Each commit belongs to the first
 * release (in version order) whose tag reaches it; when that release never succeeded in production
 * (failed, rolled back, closed), the commit moves on to the next release that did and reaches it.
 * A release whose tag is not here gets none, and a note.
 */
async function commitTimes(git: GitPort, scoped: Scoped, notes: string[]): Promise<Map<string, number[]>> {
  const wanted = scoped.releases.filter((r) => semver.valid(r.version) !== null && (scoped.firstProduction.has(r.version) || r.phases.build.state === 'succeeded'));
  if (wanted.length === 0) return new Map();
  const tags = new Map((await git.tags()).map((t) => [t.name, t.commit]));
  const ordered = scoped.all.filter((r) => semver.valid(r.version) !== null && r.abandoned === null).sort((a, b) => semver.compare(a.version, b.version));
  const versions = wanted.map((r) => r.version).sort(semver.compare);
  const low = versions[0] as string;
  const shipped = (r: ReleaseView): boolean => scoped.firstProduction.has(r.version);
  // Up to the first release at or after the highest wanted that reached production: it may ship the commits of those before it.
  const high = ordered.find((r) => semver.gte(r.version, versions.at(-1) as string) && shipped(r))?.version ?? (versions.at(-1) as string);
  for (const release of wanted) {
    if (!tags.has(release.tag) && release.abandoned === null) notes.push(`no lead time for ${release.version}: its tag ${release.tag} is not in this clone (fetch it: git fetch --tags)`);
  }
  // From the last release before the earliest that reached production: the commits of those between are shipped by a later one.
  const before = ordered.filter((r) => semver.lt(r.version, low) && tags.has(r.tag) && shipped(r)).at(-1);
  // Every release between claims its commits, so that none goes to a later one.
  const walked = ordered.filter((r) => (before === undefined || semver.gt(r.version, before.version)) && semver.lte(r.version, high));
  const tips = [...new Set(walked.flatMap((r) => tags.get(r.tag) ?? []))];
  // Not reaching that release, nor the tag the earliest was planned from (a release made before relmgr kept a ledger).
  const stops = [before?.tag, walked[0]?.previousTag].flatMap((tag) => (tag != null && tags.has(tag) ? [tags.get(tag) as string] : []));
  const graph = new Map((await git.commitGraph(tips, [...new Set(stops)])).map((c) => [c.hash, c]));
  const claimed = new Set<string>();
  // Who carries each commit (hash → version), and its time.
  const owner = new Map<string, { version: string; time: number }>();
  // The commits of releases that never reached production, not yet shipped by a later one.
  const waiting = new Set<string>();
  for (const release of walked) {
    const tip = tags.get(release.tag);
    if (tip === undefined) continue;
    const own = claim(tip, graph, claimed).filter((c) => !RELEASE_COMMIT.test(c.subject));
    for (const c of own) owner.set(c.hash, { version: release.version, time: c.time });
    if (!shipped(release)) {
      for (const c of own) waiting.add(c.hash);
      continue;
    }
    // The commits of earlier releases that never reached production move here, when this one's tag reaches them.
    if (waiting.size === 0) continue;
    const reach = reachable(tip, graph);
    for (const hash of waiting) {
      const commit = owner.get(hash);
      if (commit === undefined || !reach.has(hash)) continue;
      commit.version = release.version;
      waiting.delete(hash);
    }
  }
  const times = new Map<string, number[]>(walked.flatMap((r): [string, number[]][] => (tags.has(r.tag) ? [[r.version, []]] : [])));
  for (const { version, time } of owner.values()) times.get(version)?.push(time);
  const inReport = new Set(wanted.map((r: ReleaseView) => r.version));
  return new Map([...times].filter(([version]) => inReport.has(version)));
}

/** The hashes reachable from `tip` in the graph. */
function reachable(tip: string, graph: ReadonlyMap<string, CommitNode>): Set<string> {
  const seen = new Set<string>();
  const stack = [tip];
  while (stack.length > 0) {
    const hash = stack.pop() as string;
    const commit = graph.get(hash);
    if (commit === undefined || seen.has(hash)) continue;
    seen.add(hash);
    stack.push(...commit.parents);
  }
  return seen;
}

/** The commits reachable from `tip` in the graph that no earlier release claimed (they are now this one's). */
function claim(tip: string, graph: ReadonlyMap<string, CommitNode>, claimed: Set<string>): CommitNode[] {
  const mine: CommitNode[] = [];
  const stack = [tip];
  while (stack.length > 0) {
    const hash = stack.pop() as string;
    const commit = graph.get(hash);
    if (commit === undefined || claimed.has(hash)) continue;
    claimed.add(hash);
    mine.push(commit);
    stack.push(...commit.parents);
  }
  return mine;
}
