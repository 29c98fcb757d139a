import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { condition, substitute, text, type ExpressionScope, type Value } from './expressions.js';
import { relmgrOnPath } from './ci-tools.js';
import type { TestRepo } from './repo.js';

/*
 * Runs a GitHub Actions workflow file the way GitHub would, without docker or a runner: its jobs
 * in the order `needs:` allows, each job's `if:` evaluated against `needs.<job>.outputs`/`result`
 * and `github.*`; in a job, each `run:` step in order under bash (-eo pipefail) with
 * GITHUB_OUTPUT, GITHUB_ENV and RUNNER_TEMP, the `${{ … }}` expressions substituted, and each
 * step's `if:` evaluated (without a status function it means `success() && …`); then the job's
 * `outputs:` from its steps' outputs. `uses:` steps are the test's to do: `actions/checkout`
 * calls `checkout` (with its `with:` values evaluated), which gives the job its workspace; any
 * other action is skipped. Workflow commands (`::notice::`, `::error::`) are collected.
 */

interface Step {
  id?: string;
  name?: string;
  if?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
}

interface Job {
  needs?: string | string[];
  if?: string;
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
}

export interface WorkflowFile {
  on: unknown;
  concurrency?: unknown;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

/** What triggered the run: `github.event_name`, `github.ref` and `github.sha`. */
export interface WorkflowEvent {
  name: 'push' | 'schedule' | 'workflow_dispatch';
  ref: string;
  sha: string;
}

export interface Annotation {
  level: 'notice' | 'warning' | 'error';
  title?: string;
  message: string;
}

export interface JobRun {
  result: 'success' | 'failure' | 'skipped';
  /** The `run:` steps that ran: their id, else their name or the first line of their script. */
  ran: string[];
  steps: Record<string, Record<string, string>>;
  outputs: Record<string, string>;
  /** The job's workspace, if it checked out. */
  dir?: string;
}

export interface WorkflowRun {
  failed: boolean;
  jobs: Record<string, JobRun>;
  annotations: Annotation[];
  log: string;
}

export interface RunOptions {
  event: WorkflowEvent;
  /** The environment every step starts from (PATH with the test's npx, CI=true, …). */
  env: NodeJS.ProcessEnv;
  /** A scratch directory for this run's files (outputs, RUNNER_TEMP). */
  work: string;
  /** actions/checkout: makes a fresh workspace for the job and checks out `with.ref` (undefined: the event's sha). */
  checkout: (job: string, ref: string | undefined) => string;
}

export const readWorkflow = (file: string): WorkflowFile => parse(readFileSync(file, 'utf8')) as WorkflowFile;

const list = (needs: Job['needs']): string[] => (needs === undefined ? [] : Array.isArray(needs) ? needs : [needs]);

function github(event: WorkflowEvent): Record<string, string> {
  const refName = event.ref.replace(/^refs\/(heads|tags)\//, '');
  return { event_name: event.name, ref: event.ref, ref_name: refName, ref_type: event.ref.startsWith('refs/tags/') ? 'tag' : 'branch', sha: event.sha };
}

export /** The GITHUB_* variables a step sees. */
function githubEnv(event: WorkflowEvent): Record<string, string> {
  const g = github(event);
  return { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: g.event_name ?? '', GITHUB_REF: g.ref ?? '', GITHUB_REF_NAME: g.ref_name ?? '', GITHUB_REF_TYPE: g.ref_type ?? '', GITHUB_SHA: g.sha ?? '' };
}

export function scopeOf(contexts: Record<string, unknown>, status: ExpressionScope['status']): ExpressionScope {
  return {
    status,
    lookup(path) {
      if (!Object.hasOwn(contexts, path[0] ?? '')) return undefined;
      let here: unknown = contexts;
      for (const key of path) here = here !== null && typeof here === 'object' ? ((here as Record<string, unknown>)[key] ?? null) : null;
      return (typeof here === 'object' ? null : here) as Value;
    },
  };
}

/** KEY=value lines (and KEY<<EOF heredocs) of a GITHUB_OUTPUT or GITHUB_ENV file. */
function pairs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2] ?? '', i + 1);
      out[heredoc[1] ?? ''] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return out;
}

function annotations(output: string): Annotation[] {
  return [...output.matchAll(/^::(notice|warning|error)(?: ([^:]*))?::(.*)$/gm)].map((m) => {
    const title = /(?:^|,)title=([^,]*)/.exec(m[2] ?? '')?.[1];
    return { level: m[1] as Annotation['level'], ...(title ? { title } : {}), message: m[3] ?? '' };
  });
}

const stepStatus = (job: JobRun): ExpressionScope['status'] => ({ success: job.result !== 'failure', failure: job.result === 'failure' });

function runJob(name: string, job: Job, contexts: Record<string, unknown>, workflow: WorkflowFile, options: RunOptions, run: WorkflowRun): JobRun {
  const done: JobRun = { result: 'success', ran: [], steps: {}, outputs: {} };
  const work = join(options.work, name);
  const temp = join(work, 'temp');
  mkdirSync(temp, { recursive: true });
  const stepEnv: Record<string, string> = {};
  job.steps.forEach((step, index) => {
    const scope = scopeOf({ ...contexts, steps: Object.fromEntries(Object.entries(done.steps).map(([id, outputs]) => [id, { outputs }])) }, stepStatus(done));
    if (!condition(step.if, scope)) return;
    const label = step.id ?? step.name ?? step.run?.split('\n')[0] ?? step.uses ?? '';
    if (step.uses) {
      if (step.uses.startsWith('actions/checkout@')) {
        const ref = step.with?.ref === undefined ? undefined : substitute(String(step.with.ref), scope);
        done.dir = options.checkout(name, ref);
      }
      return;
    }
    if (!step.run || !done.dir) throw new Error(`job ${name}: a run: step before a checkout`);
    const output = join(work, `output-${index}`);
    const envFile = join(work, `env-${index}`);
    writeFileSync(output, '');
    writeFileSync(envFile, '');
    const script = substitute(step.run, scope);
    const env = Object.fromEntries(Object.entries({ ...workflow.env, ...job.env, ...step.env }).map(([k, v]) => [k, substitute(String(v), scope)]));
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd: done.dir,
      env: { ...options.env, ...env, ...stepEnv, GITHUB_OUTPUT: output, GITHUB_ENV: envFile, GITHUB_STEP_SUMMARY: join(work, 'summary.md'), RUNNER_TEMP: temp, ...githubEnv(options.event) },
      encoding: 'utf8',
    });
    done.ran.push(label);
    run.log += `[${name}] $ ${script}\n${result.stdout}${result.stderr}exit ${result.status}\n`;
    run.annotations.push(...annotations(result.stdout));
    if (step.id) done.steps[step.id] = pairs(output);
    Object.assign(stepEnv, pairs(envFile));
    if (result.status !== 0) done.result = 'failure';
  });
  const scope = scopeOf({ ...contexts, steps: Object.fromEntries(Object.entries(done.steps).map(([id, outputs]) => [id, { outputs }])) }, stepStatus(done));
  for (const [key, value] of Object.entries(job.outputs ?? {})) done.outputs[key] = substitute(value, scope);
  return done;
}

/** Runs every job of the workflow whose `needs:` and `if:` allow it; a job whose needs did not all succeed is skipped (unless its `if:` says always()/failure()). */
export function runWorkflow(workflow: WorkflowFile, options: RunOptions): WorkflowRun {
  const run: WorkflowRun = { failed: false, jobs: {}, annotations: [], log: '' };
  const pending = Object.keys(workflow.jobs);
  while (pending.length > 0) {
    const index = pending.findIndex((name) => list(workflow.jobs[name]?.needs).every((need) => run.jobs[need] !== undefined));
    if (index < 0) throw new Error(`jobs ${pending.join(', ')} need jobs that never run`);
    const [name = ''] = pending.splice(index, 1);
    const job = workflow.jobs[name] as Job;
    const needs = Object.fromEntries(list(job.needs).map((need) => [need, { result: run.jobs[need]?.result ?? 'skipped', outputs: run.jobs[need]?.outputs ?? {} }]));
    const status = { success: Object.values(needs).every((n) => n.result === 'success'), failure: Object.values(needs).some((n) => n.result === 'failure') };
    const contexts = { github: github(options.event), needs };
    if (!condition(job.if, scopeOf(contexts, status))) {
      run.jobs[name] = { result: 'skipped', ran: [], steps: {}, outputs: {} };
      run.log += `[${name}] skipped (if: ${text(job.if ?? 'success()')})\n`;
      continue;
    }
    run.jobs[name] = runJob(name, job, contexts, workflow, options, run);
    if (run.jobs[name].result === 'failure') run.failed = true;
  }
  return run;
}

/**
 * Runs a workflow file against a project with a bare remote, as CI would: `npx relmgr` is this
 * build of relmgr (`npm ci` does nothing), and each job's checkout is a fresh clone of the remote —
 * a branch named by `ref:` at the remote's tip, a tag detached at it, and without `ref:` the
 * event's commit on the event's branch. Returns a function that runs the workflow for one event
 * (`sha` defaults to the remote's tip of the event's branch, else main's).
 */
export function ciRunner(r: TestRepo & { bare: string }, file: string, env: Record<string, string> = {}): (event: { name: WorkflowEvent['name']; ref?: string; sha?: string }) => WorkflowRun {
  const stepEnv = { ...r.env, ...env, PATH: relmgrOnPath(r), CI: 'true' };
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: r.env, encoding: 'utf8' }).trim();
  let runs = 0;
  return (trigger) => {
    runs += 1;
    const ref = trigger.ref ?? 'refs/heads/main';
    const branch = ref.replace(/^refs\/heads\//, '');
    const tip = (name: string) => git(r.home, 'ls-remote', r.bare, `refs/heads/${name}`).split('\t')[0] ?? '';
    const event: WorkflowEvent = { name: trigger.name, ref, sha: trigger.sha ?? (tip(branch) || tip('main')) };
    const work = join(r.home, `work-${runs}`);
    const checkout = (job: string, at: string | undefined): string => {
      const dir = join(r.home, `ci-${runs}-${job}`);
      execFileSync('git', ['clone', '-q', r.bare, dir], { env: r.env });
      if (at === undefined) git(dir, 'checkout', '-q', '-B', branch, event.sha);
      else if (tip(at)) git(dir, 'checkout', '-q', '-B', at, `origin/${at}`);
      else git(dir, 'checkout', '-q', '--detach', at);
      return dir;
    };
    return runWorkflow(readWorkflow(file), { event, env: stepEnv, work, checkout });
  };
}
