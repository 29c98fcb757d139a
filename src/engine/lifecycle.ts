import { join } from 'node:path';
import type { Context } from '../context.js';
import { configSchema } from '../core/config/schema.js';
import { phaseState, type PhaseAttempt, type ReleaseView } from '../core/lifecycle/fold.js';
import { releaseCommit } from '../core/lifecycle/next.js';
import { isProduction } from '../core/lifecycle/environments.js';
import { previousIn } from '../core/lifecycle/deployments.js';
import { phaseCommand, phaseDef, phaseLabel, type PhaseRef } from '../core/lifecycle/phases.js';
import { withUrlFormats } from '../core/remote.js';
import { PreconditionError } from '../errors.js';
import { evaluate, heldTiming, type Evaluated, type GateKeeper, type GateWatch } from './gate-keeper.js';
import type { HeldTiming } from './gates-held.js';
import { runPhase } from './phase-runner.js';
import { phaseSteps, type ResumeDecision } from './phase-steps.js';
import { prepare, type GlobalOptions, type Prepared } from './prepare.js';
import { links, projectName } from './project.js';
import { Recording } from './recording.js';
import { planRelease, releaseEffects, type ReleaseInput } from './release-effects.js';
import { openSession, targetRelease, type Session } from './session.js';
import type { StepReporter, StepRunContext } from './steps.js';

export interface LifecycleOptions extends GlobalOptions {
  release?: string;
  push?: boolean;
  dryRun?: boolean;
}

/** Everything the lifecycle commands share: the config, the ledger session, the release, the ports. */
export interface Lifecycle {
  prepared: Prepared;
  session: Session;
  release: ReleaseView;
  input: ReleaseInput;
  /** A dry run's record of what it would have done; null when the changes are real. */
  recording: Recording | null;
  /** Where step logs go: never in git. */
  logDir: string;
}

/** A lifecycle opened for a phase to run: the release, and the ports its steps run through. */
export interface OpenLifecycle extends Lifecycle {
  steps: StepPorts;
}

/** The branch being released: the checked-out one, else the one the CI job says (detached checkouts). */
export async function releaseBranch(ctx: Context, prepared: Prepared): Promise<string | null> {
  const env = ctx.env;
  const ci = env.CI_COMMIT_BRANCH || (env.GITHUB_REF_TYPE === 'branch' ? env.GITHUB_REF_NAME : undefined);
  return (await prepared.git.currentBranch()) ?? (ci || null);
}

const SILENT: StepReporter = { start: () => undefined, output: () => undefined, finish: () => undefined };

/** The steps' context for a (phase, environment) of the release. */
interface StepPorts {
  shell: Context['shell'];
  sleep: Context['sleep'];
  clock: () => Date;
  reporter: StepReporter;
}

/**
 * Opens the release a lifecycle command acts on, with the clone's lock (named after `command`).
 * The one place a dry run differs: every port that changes something records instead (files,
 * git, steps, the ledger), and the same plan is applied through them.
 */
export async function openLifecycle(
  ctx: Context,
  options: LifecycleOptions,
  command: string,
  reporter: StepReporter = SILENT,
  mode: 'apply' | 'record' = options.dryRun ? 'record' : 'apply',
): Promise<OpenLifecycle> {
  const prepared = await prepare(ctx, options);
  const recording = mode === 'record' ? new Recording() : null;
  // A dry run asks for what the real command needs, a git identity included; reading (notes) does not.
  const session = await openSession(ctx, prepared, { write: recording === null, memory: recording !== null, identity: recording === null || options.dryRun === true, release: options.release, ...(recording ? {} : { lock: `relmgr ${command}` }) });
  try {
    return await opened(ctx, options, prepared, session, recording, reporter);
  } catch (error) {
    // Nothing is returned to close it: release the lock here, or the next command finds it taken.
    await session.close();
    throw error;
  }
}

async function opened(ctx: Context, options: LifecycleOptions, prepared: Prepared, session: Session, recording: Recording | null, reporter: StepReporter): Promise<OpenLifecycle> {
  const release = targetRelease(session.state, options.release);
  const root = prepared.info.root;
  const config = prepared.loaded.config;
  const fs = recording ? recording.fs(ctx.fs) : ctx.fs;
  const liveGit = ctx.releaseGit(root, session.remoteWaitMs);
  // A dry run's time passes only as it would: a steady check (stable_for) is not waited for.
  let virtual = ctx.wallClock.now().getTime();
  const steps: StepPorts = recording
    ? { shell: recording.shell(), sleep: async (ms) => void (virtual += ms), clock: () => new Date(virtual), reporter: SILENT }
    : { shell: ctx.shell, sleep: ctx.sleep, clock: () => ctx.wallClock.now(), reporter };
  const input: ReleaseInput = {
    root,
    release,
    config,
    settings: prepared.settings,
    git: prepared.git,
    releaseGit: recording ? recording.releaseGit(liveGit) : liveGit,
    fs,
    clock: ctx.clock,
    project: await projectName(ctx.fs, root, prepared.settings.project),
    links: withUrlFormats(await links(prepared.git), prepared.settings.changelog.urls),
    session,
    remote: options.push === false ? null : session.releaseRemote,
    branch: await releaseBranch(ctx, prepared),
    allowedBranches: (config?.versioning.branches ?? ['main', 'master']).map((b) => (typeof b === 'string' ? b : b.name)),
    writeFile: (path, text) => fs.writeTextAtomic(path, text),
    removeFile: (path) => fs.remove(path),
  };
  return { prepared, session, release, input, recording, logDir: join(root, '.relmgr', 'logs'), steps };
}

/**
 * The ledger session `plan` records in: a release to plan takes the lock and needs a git identity;
 * a dry run checks the same (identity included) and keeps what it would record in memory.
 */
export async function openPlanning(ctx: Context, prepared: Prepared, options: Pick<LifecycleOptions, 'dryRun'>, version: string | null): Promise<Session> {
  const planning = version !== null && !options.dryRun;
  return openSession(ctx, prepared, { write: planning, memory: !planning, identity: version !== null, release: version ?? undefined, ...(planning ? { lock: 'relmgr plan' } : {}) });
}

export interface PhaseOutcome {
  ref: PhaseRef;
  release: ReleaseView;
  result: Record<string, unknown>;
  /** Where the release was pushed, or null (not pushed, or the phase does not push). */
  pushedTo: string | null;
  /** A dry run: the gates that would have stopped the phase (the real run exits 10, 11 or 12 at them), and when their time gates clear. */
  held: Evaluated[];
  heldTiming: HeldTiming | null;
}

/**
 * Runs a (phase, environment) of the open release through the one runner: its steps and gates from
 * the phase table, its effects (cut's release) when it has any. Fresh, or resuming `resume`; a phase
 * whose last attempt waits at a gate (gated) is continued from there.
 */
export async function runLifecyclePhase(
  ctx: Context,
  lifecycle: OpenLifecycle,
  ref: PhaseRef,
  resumed: { previous: PhaseAttempt; decision: ResumeDecision | undefined; push?: boolean } | null,
  watch: GateWatch,
  /** What a deploy or rollback summary records besides env and production (a rollback's `to`, `from`). */
  summaryData?: Record<string, unknown>,
  /** What phase.started records besides the runner's own (a rollback's reason); a resumed rollback reads its `from`/`to` back. */
  startedWith?: Record<string, unknown>,
): Promise<PhaseOutcome> {
  const { session, input, release } = lifecycle;
  const def = phaseDef(ref.phase);
  if (!def) throw new PreconditionError('E_NOTHING_TO_RESUME', `the ${phaseLabel(ref)} phase has no runner in this relmgr version`, { hint: 'see where the release stands: relmgr status' });
  const last = phaseState(release, ref).attempts.at(-1);
  const resume = resumed ?? (last?.state === 'gated' ? { previous: last, decision: undefined } : null);
  const again = watch.again ?? (resumed ? 'relmgr resume' : phaseCommand(ref));
  if (def.runsAt === 'release') {
    // Tested (and later deployed) is what was released: the release commit, whatever a CI rerun checked out.
    const commit = releaseCommit(release);
    const head = (await input.releaseGit.head()).hash;
    if (commit !== null && head !== commit) {
      // A clone that has not fetched the release (another machine cut it) fetches it first.
      const remote = session.releaseRemote;
      const fetch = remote !== null && (!(await input.releaseGit.hasCommit(commit)) || (await input.releaseGit.tagCommit(release.tag)) === undefined) ? `git fetch --tags ${remote}, then ` : '';
      throw new PreconditionError('E_WRONG_COMMIT', `HEAD is ${head.slice(0, 7)}, not the release commit of ${release.version} (${commit.slice(0, 7)}): the ${phaseLabel(ref)} phase runs what was released`, {
        hint: `${fetch}git checkout ${release.tag}, then ${again}`,
      });
    }
  }
  // A phase started with --no-push resumes without pushing, unless --push says otherwise.
  if (resume && resume.push === undefined && resume.previous.options.push === false) input.remote = null;
  const versionDir = join(lifecycle.logDir, release.version);
  const notesFile = join(versionDir, 'release-notes.md');
  // One folder per (phase, environment): `deploy-staging/01-….log` never mixes with `deploy-production/`.
  const logDir = join(versionDir, phaseLabel(ref).replace(' ', '-'));
  const plan = def.effects === 'release' ? await planRelease(input) : null;
  const effects = plan ? releaseEffects(input, plan, notesFile) : null;
  const previousVersion = await previousHere(session, release, ref, resume?.previous ?? null, summaryData);
  // A resumed rollback goes back to where its first attempt was going.
  const summaryOf = summaryData ?? (ref.phase === 'rollback' && resume ? pick(resume.previous.options, ['from', 'to']) : undefined);
  const stepContext: StepRunContext = {
    root: input.root,
    baseEnv: { ...ctx.env },
    secretNames: ctx.secrets.extraNames,
    // A copy of the notes outside the tree, written before the build steps run (the committed one comes after them).
    release: { version: release.version, tag: release.tag, previousVersion, phase: ref.phase, ...(ref.env === null ? {} : { env: ref.env }), notesFile },
    logDir,
    ...lifecycle.steps,
  };
  const held = new Map<string, Evaluated>();
  const keeper: GateKeeper = {
    session,
    config: input.config ?? configSchema.parse({}),
    release: () => session.state.releases.find((r) => r.version === release.version && r.plannedAt === release.plannedAt) ?? release,
    clock: lifecycle.steps.clock,
    sleep: lifecycle.steps.sleep,
    // A dry run shows the gates it would wait at, and goes on to show the rest.
    watch: lifecycle.recording ? { ...watch, until: null, ask: null, preview: held } : watch,
    again,
  };
  const result = await runPhase({
    ref,
    release,
    session,
    steps: phaseSteps(def, input.config, ref.env, (at) => evaluate(keeper, [at])[0]?.state.status === 'skipped'),
    stepContext,
    keeper,
    resume: resume ? { previous: resume.previous, decision: resume.decision } : null,
    options: { ...(plan ? { push: plan.push !== null } : {}), ...(ref.phase === 'rollback' ? (summaryOf ?? {}) : {}), ...(startedWith ?? {}) },
    effects,
    summary: (def.name === 'deploy' || def.name === 'rollback') && ref.env !== null ? { kind: def.name, data: { env: ref.env, production: isProduction(input.config, ref.env), ...(summaryOf ?? {}) } } : null,
    // Step logs live in the repository but never in git: keep `git status` as it was (written only once the checks passed).
    started: async () => {
      const ignore = join(lifecycle.logDir, '.gitignore');
      if ((await input.fs.readText(ignore)) === undefined) await input.fs.writeTextAtomic(ignore, '*\n');
    },
  });
  return { ref, release: lifecycle.session.state.releases.find((r) => r.version === release.version && r.plannedAt === release.plannedAt) ?? release, result, pushedTo: plan?.push?.remote ?? null, held: [...held.values()], heldTiming: held.size > 0 ? heldTiming(keeper, [...held.values()]) : null };
}

/**
 * RELMGR_PREVIOUS_VERSION for a phase: in a deploy, what the environment ran before this release
 * (from the ledger's history of environments); in a rollback, the version it goes back to; else the
 * release before this one.
 */
async function previousHere(session: Session, release: ReleaseView, ref: PhaseRef, resumed: PhaseAttempt | null, summaryData: Record<string, unknown> | undefined): Promise<string | null> {
  if (ref.env === null) return release.previousVersion;
  if (ref.phase === 'deploy') return previousIn(await session.deployments(), ref.env, release.version);
  if (ref.phase === 'rollback') {
    const to = summaryData?.to ?? resumed?.options.to;
    return typeof to === 'string' && to !== '' ? to : null;
  }
  return release.previousVersion;
}

const pick = (from: Record<string, unknown>, keys: string[]): Record<string, unknown> => Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));
