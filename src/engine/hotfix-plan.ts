import type { FsPort } from '../adapters/fs.js';
import type { GitPort, RepoInfo } from '../adapters/git.js';
import type { ReleaseGit } from '../adapters/git-release.js';
import type { Context } from '../context.js';
import type { ParsedCommit } from '../core/commits.js';
import { hotfixBase, hotfixBranch, type HotfixBase } from '../core/hotfix.js';
import { runningIn } from '../core/lifecycle/deployments.js';
import { productionEnvironments } from '../core/lifecycle/environments.js';
import type { Settings } from '../core/settings.js';
import { computeNextVersion, VersionRuleError, type VersionResult } from '../core/version.js';
import { PreconditionError, UsageError } from '../errors.js';
import type { Prepared } from './prepare.js';
import { openRepo, readCommits } from './repo-commits.js';
import { openSession } from './session.js';

export interface HotfixOptions {
  fs: FsPort;
  releaseGit: ReleaseGit;
  /** The commits to pick, as the user named them, in the order given. */
  picks: readonly string[];
  /** What the production-tier environment runs (from the ledger), and its name. */
  running: string | null;
  env: string | null;
  pre?: string | undefined;
  /** The command the user ran (for hints): `relmgr plan --track emergency --reason "…"`. */
  again: string;
}

export interface HotfixComputation {
  result: VersionResult;
  /** The picked commits, parsed, newest first (the order a range is read in). */
  commits: ParsedCommit[];
  base: HotfixBase;
  /** The picks as full hashes, in the order given. */
  picks: string[];
}

/**
 * The version of a hotfix and the commits it carries: the release in production (or the last
 * release tag) plus one patch (the next free one), carrying only the picked commits — each of
 * which must exist, not be in that release already, and apply cleanly onto it (tried in a
 * throwaway worktree: this checkout is never touched).
 */
export async function computeHotfix(git: GitPort, settings: Settings, options: HotfixOptions, info?: RepoInfo): Promise<HotfixComputation> {
  const repo = await openRepo(git, settings, info);
  const base = hotfixBase(options.running, options.env, repo.releases);
  if (base === null) {
    throw new PreconditionError('E_HOTFIX_BASE', 'a hotfix is a patch of a release, and this project has no release tag yet', {
      hint: 'release normally first: relmgr plan (an emergency without --pick releases from HEAD: relmgr plan --track emergency --reason "…")',
    });
  }
  const picks: string[] = [];
  for (const name of options.picks) {
    const full = await git.resolveCommit(name);
    if (full === undefined) {
      throw new UsageError('E_PICK', `--pick ${name}: no such commit here (nothing was recorded)`, { hint: `fetch it (git fetch --all), or check the hash (git log --oneline), then: ${options.again}` });
    }
    if (picks.includes(full)) throw new UsageError('E_PICK', `--pick ${name}: named twice`, { hint: `name each commit once: ${withPicks(options.again, [...new Set(options.picks)])}` });
    if (await git.isAncestor(full, base.tag.commit)) {
      throw new UsageError('E_PICK', `--pick ${name}: ${full.slice(0, 7)} is already in ${base.tag.name}, the release the hotfix starts from (nothing was recorded)`, { hint: `pick only commits ${base.tag.name} lacks: ${withPicks(options.again, others(options.picks, name))}` });
    }
    picks.push(full);
  }
  const picked = await options.releaseGit.pickOnto(base.tag.commit, picks);
  if ('failed' in picked) throw pickFailed(picked, base, options.again);
  const commits: ParsedCommit[] = [];
  for (const pick of picks) commits.unshift(...(await readCommits(git, `${pick}^`, pick)));
  const pre = options.pre ?? settings.versioning.emergencyPrerelease ?? undefined;
  try {
    const result = computeNextVersion(
      { lastRelease: base.tag, commits, taggedVersions: new Set(repo.releases.map((tag) => tag.version)), prereleases: repo.releases.filter((tag) => tag.prerelease) },
      { tagTemplate: settings.versioning.tag, initial: settings.versioning.initial, initialDevelopment: settings.versioning.initialDevelopment, types: settings.versioning.types, pre, track: 'emergency' },
    );
    return { result, commits, base, picks };
  } catch (error) {
    if (error instanceof VersionRuleError) throw new UsageError('E_VERSION', error.message, { hint: error.hint });
    throw error;
  }
}

function pickFailed(picked: { failed: string; reason: string; files: string[] }, base: HotfixBase, again: string): Error {
  const short = picked.failed.slice(0, 7);
  if (picked.files.length === 0) {
    const merge = /is a merge/.test(picked.reason);
    const why = merge ? 'it is a merge commit (a hotfix carries the fix commits themselves)' : picked.reason;
    const hint = merge
      ? `list the commits it merged with git log --oneline ${short}^1..${short}^2, then: ${withPicks(again, ['<those commits>'])}`
      : `pick the fix commits themselves, then: ${again}`;
    return new UsageError('E_PICK', `--pick ${short} cannot be picked onto ${base.tag.name}: ${why} (nothing was recorded)`, { hint });
  }
  return new PreconditionError('E_PICK_CONFLICT', `--pick ${short} does not apply cleanly onto ${base.tag.name} (the release the hotfix starts from): it conflicts in ${picked.files.join(', ')} (nothing was recorded, nothing was changed in git)`, {
    details: [`tried in a throwaway worktree at ${base.tag.name}; this checkout was not touched`],
    hint: `pick the commits it builds on too, oldest first (${again.replace(/ --pick .*$/, '')} --pick <earlier> ${short}), or commit a fix made on ${base.tag.name} (git switch -c fix ${base.tag.name}) and pick that`,
  });
}

/**
 * What the production-tier environment runs, from the ledger's deploy and rollback history (the
 * first production-tier environment in promotion order; null when the config has none, or nothing
 * was ever deployed there).
 */
export async function runningInProduction(ctx: Context, prepared: Prepared): Promise<{ running: string | null; env: string | null }> {
  const env = productionEnvironments(prepared.loaded.config)[0] ?? null;
  if (env === null) return { running: null, env };
  const session = await openSession(ctx, prepared, { write: false });
  try {
    return { running: runningIn(await session.deployments(), env), env };
  } finally {
    await session.close();
  }
}

/** Computes a hotfix for `plan` and `next`: the production history read from the ledger, then the version. */
export async function hotfixFor(ctx: Context, prepared: Prepared, options: Pick<HotfixOptions, 'picks' | 'pre' | 'again'>): Promise<HotfixComputation> {
  const production = await runningInProduction(ctx, prepared);
  const releaseGit = ctx.releaseGit(prepared.info.root, 30_000); // no remote is asked: the picks are tried locally
  return computeHotfix(prepared.git, prepared.settings, { fs: ctx.fs, releaseGit, ...production, ...options }, prepared.info);
}

/** What a hotfix adds to its release.planned: the base release, its branch, the picks. */
export function hotfixPlanData(hotfix: HotfixComputation, version: string): Record<string, unknown> {
  const { base, picks } = hotfix;
  return {
    base: base.tag.commit,
    branch: hotfixBranch(version),
    previousVersion: base.tag.version,
    previousTag: base.tag.name,
    range: `${base.tag.name} + ${picks.length} picked`,
    picks,
    hotfix: { from: base.source, env: base.env },
  };
}

/** The line `plan` prints about a hotfix's base. */
export function hotfixLine(hotfix: HotfixComputation): string {
  const { base, picks } = hotfix;
  const why = base.source === 'production' ? `${base.env} runs ${base.tag.version}` : `nothing recorded in ${base.env ?? 'a production-tier environment'}: the last release tag`;
  return `  ${picks.length} commit${picks.length === 1 ? '' : 's'} picked onto ${base.tag.name} (${why}): ${picks.map((p) => p.slice(0, 7)).join(' ')}`;
}

/** The plan command again with other picks: `… --pick a b` (its `--pick …` is last). */
function withPicks(again: string, picks: readonly string[]): string {
  return `${again.replace(/ --pick .*$/, '')} --pick ${picks.join(' ')}`;
}

/** The picks without `name` (a placeholder when none is left). */
function others(picks: readonly string[], name: string): string[] {
  const rest = picks.filter((pick) => pick !== name);
  return rest.length > 0 ? rest : ['<commit>'];
}
