import { basename, join } from 'node:path';
import type { Clock } from '../adapters/clock.js';
import type { FsPort } from '../adapters/fs.js';
import type { GitPort } from '../adapters/git.js';
import type { ReleaseGit } from '../adapters/git-release.js';
import { staleUnreleased, upsertChangelogSection } from '../core/changelog-file.js';
import { releaseTags } from '../core/tags.js';
import type { Config } from '../core/config/schema.js';
import { isHotfix, type ReleaseView } from '../core/lifecycle/fold.js';
import { releaseCommit } from '../core/lifecycle/next.js';
import type { ParsedCommit } from '../core/commits.js';
import { buildReleaseModel, type ReleaseModel } from '../core/model.js';
import { changelogRenderer, compileTemplate } from '../core/notes.js';
import type { RepoLinks } from '../core/remote.js';
import type { Settings } from '../core/settings.js';
import { gt, inc, valid } from 'semver';
import { readVersion, setLockfileVersion, setVersion, VersionFileError, versionFilePath, type VersionFileSpec } from '../core/version-files.js';
import { PreconditionError } from '../errors.js';
import { readCommits } from './repo-commits.js';
import { loadTemplate, withTemplate } from './templates.js';

/** One file `cut` writes: its text at the planned commit (null: new) and after. */
export interface FileEdit {
  path: string;
  before: string | null;
  after: string;
}

export interface ReleaseDocsInput {
  root: string;
  release: ReleaseView;
  config: Config | null;
  settings: Settings;
  git: GitPort;
  releaseGit: ReleaseGit;
  fs: FsPort;
  clock: Clock;
  project: string | null;
  links: RepoLinks | null;
}

/** The release model of a planned release: the commits from the previous release to the planned commit. */
export async function plannedModel(input: ReleaseDocsInput): Promise<ReleaseModel> {
  const { release } = input;
  const from = release.previousTag ? ((await input.git.resolveCommit(release.previousTag)) ?? null) : null;
  const commits = isHotfix(release) && release.base === from ? await pickedCommits(input, release) : await readCommits(input.git, from, release.base, 'full');
  const version = release.version;
  return buildReleaseModel({
    project: input.project,
    types: input.settings.versioning.types,
    version,
    previousVersion: release.previousVersion,
    tag: release.tag,
    previousTag: release.previousTag,
    toRef: release.tag,
    // A cut release keeps the date it was cut (so `relmgr notes` reproduces what cut wrote).
    date: release.phases.build.attempts.find((a) => a.state === 'succeeded')?.finishedAt ?? input.clock.now(),
    bump: typeof release.planned.bump === 'string' ? release.planned.bump : null,
    track: release.track,
    commits,
    links: input.links,
    install: { commands: (input.config?.install.commands ?? []).map((c) => c.replaceAll('{version}', version)) },
  });
}

/**
 * The commits of a hotfix (`relmgr notes`): those before its release commit on its branch once cut,
 * else the picked commits themselves — never what its base release already had.
 */
async function pickedCommits(input: ReleaseDocsInput, release: ReleaseView): Promise<ParsedCommit[]> {
  const commit = releaseCommit(release);
  if (commit !== null && (await input.git.resolveCommit(commit)) !== undefined) return readCommits(input.git, release.base, `${commit}^`, 'full');
  const picks = Array.isArray(release.planned.picks) ? release.planned.picks.filter((p): p is string => typeof p === 'string') : [];
  const commits: ParsedCommit[] = [];
  for (const pick of picks) commits.unshift(...(await readCommits(input.git, `${pick}^`, pick, 'full')));
  return commits;
}

/** Where the release notes and install instructions of a version go (relative to the root). */
export function notesDir(config: Config | null, version: string): string {
  return (config?.notes.dir ?? '.relmgr/releases/{version}').replaceAll('{version}', version);
}

/** Renders the release notes and install instructions (for `cut` and `relmgr notes`). */
export async function renderNotes(input: ReleaseDocsInput, model: ReleaseModel): Promise<{ notes: string; install: string }> {
  const issueUrl = input.links?.issueUrl ?? null;
  const render = async (user: string | undefined, name: string): Promise<string> => {
    const template = await loadTemplate(input.fs, user ?? null, input.root, name);
    return withTemplate(template, () => compileTemplate(template.source, { issueUrl })(model)).replace(/\n{3,}/g, '\n\n').trim() + '\n';
  };
  return { notes: await render(input.config?.notes.template, 'release-notes.md.hbs'), install: await render(input.config?.install.template, 'install.md.hbs') };
}

/**
 * The version files' edits, and every problem with their locators at once (a missing file, key
 * or match): `plan` reports them before anything is recorded, `cut` before anything changes.
 */
export async function versionFileEdits(
  config: Config | null,
  at: (path: string) => Promise<string | undefined>,
  version: string,
): Promise<{ edits: FileEdit[]; problems: string[]; downgrades: VersionDowngrade[] }> {
  const edits: FileEdit[] = [];
  const problems: string[] = [];
  const downgrades: VersionDowngrade[] = [];
  const specs: VersionFileSpec[] = config?.versioning.files ?? ['package.json'];
  for (const spec of specs) {
    const path = versionFilePath(spec);
    const before = await at(path);
    if (before === undefined) {
      // The default `package.json` is skipped in projects that have none; a file named on purpose must exist.
      if (spec !== 'package.json') problems.push(`versioning.files names ${path}, which is not in the repository at the planned commit`);
      continue;
    }
    const current = readVersion(spec, before)?.trim() ?? null;
    if (current !== null && valid(current) === current && gt(current, version)) downgrades.push({ path, version: current });
    try {
      edits.push({ path, before, after: setVersion(spec, before, version) });
    } catch (error) {
      if (!(error instanceof VersionFileError)) throw error;
      problems.push(`${path}: ${error.message}`);
      continue;
    }
    if (basename(path) === 'package.json') {
      const lockPath = join(path, '..', 'package-lock.json').replace(/^\.\//, '');
      const lock = await at(lockPath);
      if (lock !== undefined) edits.push({ path: lockPath, before: lock, after: setLockfileVersion(lock, version) });
    }
  }
  return { edits, problems, downgrades };
}

/** A version file whose version is above the planned one: writing it would go backwards. */
export interface VersionDowngrade {
  path: string;
  version: string;
}

/** `plan` and `cut` never write a version file downward. */
export function versionDowngradeError(version: string, downgrades: readonly VersionDowngrade[], again: string): PreconditionError {
  const highest = downgrades.reduce((top, d) => (gt(d.version, top) ? d.version : top), downgrades[0]?.version ?? version);
  return new PreconditionError('E_VERSION_DOWNGRADE', `${version} is below the version already in ${downgrades.map((d) => `${d.path} (${d.version})`).join(', ')}: relmgr never writes a version file downward`, {
    hint: `release a version above ${highest}: ${again} --release-as ${inc(highest, 'patch') ?? highest} (or set the file back to the last release, commit, and plan again)`,
  });
}

export function versionFileError(problems: readonly string[]): PreconditionError {
  return new PreconditionError('E_VERSION_FILE', `the version files cannot be updated (versioning.files):`, {
    details: [...problems],
    hint: 'add the files, or fix their locators in versioning.files (release.config.yaml), commit, then: relmgr plan --replace',
  });
}

/**
 * Every file edit of a cut, computed from the planned commit's content — so computing it again
 * (on resume, after a crash half-way through writing) gives the same result.
 */
export async function releaseEdits(input: ReleaseDocsInput): Promise<FileEdit[]> {
  const { release, releaseGit, config, settings } = input;
  const at = (path: string): Promise<string | undefined> => releaseGit.show(release.base, path);
  const { edits, problems, downgrades } = await versionFileEdits(config, at, release.version);
  if (downgrades.length > 0) throw versionDowngradeError(release.version, downgrades, 'relmgr plan --replace');
  if (problems.length > 0) throw versionFileError(problems);
  const model = await plannedModel(input);
  const changelogTemplate = await loadTemplate(input.fs, settings.changelog.template, input.root, 'changelog.md.hbs');
  const section = withTemplate(changelogTemplate, () => changelogRenderer(changelogTemplate.source, { issueUrl: input.links?.issueUrl ?? null })(model));
  const changelogBefore = (await at(settings.changelog.file)) ?? null;
  // A section an earlier `changelog --write` left for a version that was never tagged goes too.
  const tagged = new Set(releaseTags(await input.git.tags(), settings.versioning.tag).map((tag) => tag.version));
  const stale = staleUnreleased(release.previousVersion, tagged);
  edits.push({ path: settings.changelog.file, before: changelogBefore, after: upsertChangelogSection(changelogBefore ?? undefined, section, release.version, stale) });
  const { notes, install } = await renderNotes(input, model);
  const dir = notesDir(config, release.version);
  for (const [name, text] of [['release-notes.md', notes], ['install.md', install]] as const) {
    const path = `${dir}/${name}`;
    edits.push({ path, before: (await at(path)) ?? null, after: text });
  }
  return edits.filter((edit) => edit.after !== edit.before);
}
