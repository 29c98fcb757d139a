import { join } from 'node:path';
import type { Context } from '../context.js';
import type { ReleaseView } from '../core/lifecycle/fold.js';
import { withUrlFormats } from '../core/remote.js';
import type { CutInput } from '../engine/cut.js';
import { links, projectName } from '../engine/project.js';
import { openSession, targetRelease, type Session } from '../engine/session.js';
import { createStepReporter, interruption, type StepReporter } from '../ui/step-progress.js';
import { printJson, useColor } from '../ui/output.js';
import { prepare, type GlobalOptions, type Prepared } from './shared.js';

export interface ReleaseOptions extends GlobalOptions {
  release?: string;
  push?: boolean;
  dryRun?: boolean;
}

/** Everything the lifecycle commands share: the config, the ledger session, the release, git, steps. */
export interface ReleaseContext {
  prepared: Prepared;
  session: Session;
  release: ReleaseView;
  input: CutInput;
}

/** The branch being released: the checked-out one, else the one the CI job says (detached checkouts). */
export async function releaseBranch(ctx: Context, prepared: Prepared): Promise<string | null> {
  const env = ctx.env;
  const ci = env.CI_COMMIT_BRANCH || (env.GITHUB_REF_TYPE === 'branch' ? env.GITHUB_REF_NAME : undefined);
  return (await prepared.git.currentBranch()) ?? (ci || null);
}

/** `command` is what the user ran (`cut`): the lock names it for whoever finds the clone busy. */
/**
 * The steps' reporter on stderr. Under --json an interruption is also the error document on stdout,
 * written at once (relmgr dies of the signal next) and instead of anything the command held back.
 */
function reporterFor(ctx: Context, options: ReleaseOptions): StepReporter {
  const reporter = createStepReporter(ctx.stderr, { color: useColor(ctx.stderr, ctx.env, options.color), verbose: options.verbose === true });
  if (!options.json) return reporter;
  return {
    ...reporter,
    interrupted(name, phase, signal, idempotent) {
      reporter.interrupted?.(name, phase, signal, idempotent);
      const out = ctx.stdout.raw ?? ctx.stdout;
      printJson({ write: (text: string) => out.write(ctx.secrets.redact(text)) }, { error: { code: 'E_INTERRUPTED', ...interruption(name, phase, signal, idempotent), details: [] } });
    },
  };
}

export async function releaseContext(ctx: Context, options: ReleaseOptions, phase: string, command: string = phase): Promise<ReleaseContext> {
  const prepared = await prepare(ctx, options);
  const session = await openSession(ctx, prepared, { write: !options.dryRun, release: options.release, ...(options.dryRun ? {} : { lock: `relmgr ${command}` }) });
  const release = targetRelease(session.state, options.release);
  const root = prepared.info.root;
  const config = prepared.loaded.config;
  const branch = await releaseBranch(ctx, prepared);
  const remote = options.push === false ? null : session.releaseRemote;
  const allowed = (config?.versioning.branches ?? ['main', 'master']).map((b) => (typeof b === 'string' ? b : b.name));
  const input: CutInput = {
    root,
    release,
    config,
    settings: prepared.settings,
    git: prepared.git,
    releaseGit: ctx.releaseGit(root, session.remoteWaitMs),
    fs: ctx.fs,
    clock: ctx.clock,
    project: await projectName(ctx.fs, root, prepared.settings.project),
    links: withUrlFormats(await links(prepared.git), prepared.settings.changelog.urls),
    session,
    remote,
    branch,
    allowedBranches: allowed,
    stepContext: {
      root,
      baseEnv: { ...ctx.env },
      secretNames: ctx.secrets.extraNames,
      release: {
        version: release.version,
        tag: release.tag,
        previousVersion: release.previousVersion,
        phase,
        // A copy outside the tree, written before the build steps run (the committed one comes after them).
        notesFile: join(root, '.relmgr', 'logs', release.version, 'release-notes.md'),
      },
      logDir: join(root, '.relmgr', 'logs', release.version),
      reporter: reporterFor(ctx, options),
      clock: () => ctx.wallClock.now(),
      shell: ctx.shell,
      sleep: ctx.sleep,
    },
    writeFile: (path, text) => ctx.fs.writeTextAtomic(path, text),
    removeFile: (path) => ctx.fs.remove(path),
  };
  if (!options.dryRun) {
    // Step logs live in the repository but never in git: keep `git status` as it was.
    const ignore = join(root, '.relmgr', 'logs', '.gitignore');
    if ((await ctx.fs.readText(ignore)) === undefined) await ctx.fs.writeTextAtomic(ignore, '*\n');
  }
  return { prepared, session, release, input };
}
