import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openOutputLog, runShell, type ShellResult, type ShellRun } from '../../src/adapters/process.js';
import type { ShellPort } from '../../src/context.js';
import { createStepReporter, type StepReporter } from '../../src/ui/step-progress.js';
import { logFileName, runStep, stepName, type StepResult, type StepRunContext, type StepSpec } from '../../src/engine/steps.js';
import { until } from '../helpers/hanging.js';

/*
 * Real /bin/sh processes in temp dirs. Timing is only ever bounded generously: a slow machine may
 * take longer, never shorter.
 */

const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

function tempRoot(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'relmgr-steps-')));
  dirs.push(dir);
  return dir;
}

const SECRET = 'ghp_abcdefgh123';

/** A FIFO in `dir`: a shell that reads it (`read x < fifo`) waits until the test writes a line to it. */
function fifo(dir: string): { path: string; open(): void } {
  const path = join(dir, 'go.fifo');
  execFileSync('mkfifo', [path]);
  return { path, open: () => void writeFile(path, 'go\n') };
}

/** Whether any process of a process group is left. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A reporter that records calls, and a stream that records what a real reporter writes. */
function recorder(): StepReporter & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    start: (name, attempt, of) => calls.push(`start ${name} ${attempt}/${of}`),
    output: (name, text) => calls.push(`output ${name} ${text}`),
    finish: (result) => calls.push(`finish ${result.name} ${result.status} ${result.tail.join('|')}`),
  };
}
function fakeStream(isTTY: boolean): { write(s: string): boolean; isTTY: boolean; text(): string } {
  let text = '';
  return { isTTY, write: (s) => ((text += s), true), text: () => text };
}

function context(root: string, extra: Partial<StepRunContext> = {}): StepRunContext {
  return {
    root,
    baseEnv: { PATH: process.env.PATH, GITHUB_TOKEN: SECRET, CI: 'true', RELMGR_ENV: 'stale-from-shell' },
    release: { version: '1.4.0', tag: 'v1.4.0', previousVersion: null, phase: 'build' },
    logDir: join(root, '.relmgr', 'logs', '1.4.0'),
    reporter: recorder(),
    clock: () => new Date('2026-11-21T10:00:00Z'),
    shell: { run: runShell, openLog: openOutputLog },
    sleep: async () => undefined,
    ...extra,
  };
}
const step = (run: string, extra: Partial<StepSpec> = {}): StepSpec => ({ run, retries: 0, idempotent: false, ...extra });

describe('runShell', () => {
  const shell = (command: string, extra: Partial<ShellRun> = {}): Promise<ShellResult> =>
    runShell({ command, cwd: tempRoot(), env: { PATH: process.env.PATH ?? '' }, timeoutMs: 30_000, onOutput: () => {}, ...extra });

  it('streams stdout and stderr and returns the exit code', async () => {
    const seen: string[] = [];
    const result = await shell('echo out; echo err >&2; exit 4', { onOutput: (t, s) => seen.push(`${s}:${t}`) });
    expect(result).toMatchObject({ exitCode: 4, signal: null, timedOut: false });
    expect(seen.sort()).toEqual(['stderr:err\n', 'stdout:out\n']);
  });

  it('kills every process of the group on timeout, grandchildren included', async () => {
    const root = tempRoot();
    const result = await shell('sleep 100 & echo $! > bg.pid; sleep 100', { cwd: root, timeoutMs: 500 });
    expect(result).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGTERM' });
    expect(result.durationMs).toBeLessThan(20_000);
    const pid = Number(readFileSync(join(root, 'bg.pid'), 'utf8'));
    const alive = (): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await until(() => !alive(), 5_000); // signalled: gone as soon as the kernel has it
    expect(alive()).toBe(false);
  });

  it('sends SIGKILL after the grace period to a group that ignores SIGTERM', async () => {
    const result = await shell('trap "" TERM; sleep 30; echo survived', { timeoutMs: 300, killGraceMs: 300 });
    expect(result).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    expect(result.durationMs).toBeLessThan(20_000);
  });

  it('decodes a UTF-8 character split across chunks', async () => {
    // 'a' and the first byte of ✔ in one write; the rest only once the test has seen the 'a' (no sleep).
    const root = tempRoot();
    const go = fifo(root);
    let text = '';
    await shell(`printf 'a\\342'; read x < ${go.path}; printf '\\234\\224\\n'`, { cwd: root, onOutput: (t) => ((text += t), text === 'a' && go.open()) });
    expect(text).toBe('a✔\n');
  });
});

describe('runStep', () => {
  it('runs a step that succeeds', async () => {
    const root = tempRoot();
    const ctx = context(root);
    const result = await runStep(step('echo built'), 0, ctx);
    expect(result).toMatchObject({ name: 'echo built', status: 'succeeded', attempts: 1, exitCode: 0, tail: ['built'] });
    expect(result.logFile).toBe(join(root, '.relmgr/logs/1.4.0/01-echo-built.log'));
    const calls = (ctx.reporter as ReturnType<typeof recorder>).calls;
    expect(calls).toEqual(['start echo built 1/1', 'output echo built built\n', 'finish echo built succeeded built']);
  });

  it('reports a failure with its exit code and the last 20 lines', async () => {
    const result = await runStep(step('for i in $(seq 1 30); do echo line $i; done; echo boom >&2; exit 3', { name: 'unit tests' }), 4, context(tempRoot()));
    expect(result).toMatchObject({ name: 'unit tests', status: 'failed', attempts: 1, exitCode: 3 });
    expect(result.tail).toHaveLength(20);
    expect(result.tail[0]).toBe('line 12');
    expect(result.tail.at(-1)).toBe('boom');
    expect(result.logFile).toMatch(/\/05-unit-tests\.log$/);
  });

  it('retries a failing step until it succeeds', async () => {
    const root = tempRoot();
    const run = 'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; echo "try $n"; [ "$n" -ge 3 ]';
    const ctx = context(root);
    const result = await runStep(step(run, { name: 'flaky', retries: 2 }), 0, ctx);
    expect(result).toMatchObject({ status: 'succeeded', attempts: 3, exitCode: 0, tail: ['try 3'] });
    const calls = (ctx.reporter as ReturnType<typeof recorder>).calls.filter((c) => c.startsWith('start'));
    expect(calls).toEqual(['start flaky 1/3', 'start flaky 2/3', 'start flaky 3/3']);
    const log = readFileSync(result.logFile, 'utf8');
    expect(log.match(/^==> .*attempt \d of 3/gm)).toHaveLength(3);
    expect(log).toContain('try 1\n==> exit 1 after');
    expect(log).toContain('try 3\n==> exit 0 after');
  });

  it('keeps the tail as a person reads it: CRLF ends, progress redrawn with \\r, no colour codes', async () => {
    const result = await runStep(step("printf 'a\\r\\nb\\r\\n10%%\\r50%%\\r\\033[32m100%%\\033[0m\\n\\n\\n'"), 0, context(tempRoot()));
    expect(result.tail).toEqual(['a', 'b', '100%']);
  });

  it('stops after the last retry and reports the last attempt', async () => {
    const result = await runStep(step('echo no; exit 7', { retries: 1 }), 0, context(tempRoot()));
    expect(result).toMatchObject({ status: 'failed', attempts: 2, exitCode: 7 });
  });

  it('times out, retries the timeout, and kills the whole process tree', async () => {
    const root = tempRoot();
    // The grandchild would write the marker after 3s; the step times out after 1s. Each attempt's
    // shell leads its process group: once every group is gone, nothing is left to write the marker.
    const run = 'echo $$ >> groups; (sleep 3; touch marker) & echo waiting; sleep 100';
    const result = await runStep(step(run, { timeout: '1s', retries: 1 }), 0, context(root));
    expect(result).toMatchObject({ status: 'timed_out', attempts: 2, exitCode: null, tail: ['waiting'] });
    expect(result.durationMs).toBeGreaterThanOrEqual(2000);
    expect(result.durationMs).toBeLessThan(30_000);
    const groups = readFileSync(join(root, 'groups'), 'utf8').split('\n').filter(Boolean).map(Number);
    expect(groups).toHaveLength(2);
    await until(() => !groups.some(groupAlive), 5_000); // signalled: gone as soon as the kernel has them
    expect(existsSync(join(root, 'marker'))).toBe(false);
    expect(readFileSync(result.logFile, 'utf8')).toMatch(/==> timed out after 1\.\ds\n$/);
  }, 60_000);

  it('passes the release through RELMGR_* variables and merges the step env', async () => {
    const release = { version: '1.4.0', tag: 'v1.4.0', previousVersion: null, phase: 'deploy', env: 'staging', notesFile: '/tmp/notes.md' };
    const ctx = context(tempRoot(), { release });
    const names = 'RELMGR_VERSION RELMGR_TAG RELMGR_PREVIOUS_VERSION RELMGR_PHASE RELMGR_ENV RELMGR_NOTES_FILE CI EXTRA';
    const run = `for v in ${names}; do eval "echo $v=[\\$$v]"; done`;
    const result = await runStep(step(run, { env: { EXTRA: 'yes', RELMGR_VERSION: '9.9.9' } }), 0, ctx);
    expect(result.tail).toEqual([
      'RELMGR_VERSION=[1.4.0]',
      'RELMGR_TAG=[v1.4.0]',
      'RELMGR_PREVIOUS_VERSION=[]',
      'RELMGR_PHASE=[deploy]',
      'RELMGR_ENV=[staging]',
      'RELMGR_NOTES_FILE=[/tmp/notes.md]',
      'CI=[true]',
      'EXTRA=[yes]',
    ]);
  });

  it('drops a RELMGR_ENV inherited from the shell when the release has none, and expands nothing in the command', async () => {
    const result = await runStep(step('echo "[${RELMGR_ENV-unset}] {version}"'), 0, context(tempRoot()));
    expect(result.tail).toEqual(['[unset] {version}']);
  });

  it('runs in cwd relative to the root', async () => {
    const root = tempRoot();
    mkdirSync(join(root, 'packages', 'app'), { recursive: true });
    const result = await runStep(step('pwd', { cwd: 'packages/app' }), 0, context(root));
    expect(result.tail).toEqual([join(root, 'packages', 'app')]);
  });

  it('fails a step whose cwd does not exist, with the reason', async () => {
    const result = await runStep(step('true', { cwd: 'missing', retries: 2 }), 0, context(tempRoot()));
    expect(result).toMatchObject({ status: 'failed', attempts: 1, exitCode: null });
    expect(result.tail[0]).toMatch(/could not start \/bin\/sh in .*missing/);
  });

  it('rejects a timeout that is not a duration', async () => {
    await expect(runStep(step('true', { timeout: 'soon' }), 0, context(tempRoot()))).rejects.toMatchObject({ code: 'E_STEP_TIMEOUT', exitCode: 2 });
  });

  it('appends every attempt to the log and redacts secrets in the log, the tail and the reporter', async () => {
    const root = tempRoot();
    const stream = fakeStream(false);
    // printf in two pieces: a secret cut across two output chunks must still be hidden. The second
    // piece is printed once the first has arrived (a FIFO the shell waits on, not a sleep).
    const go = fifo(root);
    const split: ShellPort = {
      openLog: openOutputLog,
      run: (run) => runShell({ ...run, onOutput: (text, stream) => (run.onOutput(text, stream), text.endsWith('half ghp_abcd') && go.open()) }),
    };
    const ctx = context(root, { shell: split, reporter: createStepReporter(stream, { color: false, clock: () => new Date('2026-11-21T10:00:00Z') }) });
    const run = `echo "token is $GITHUB_TOKEN"; printf 'half ghp_abcd'; read x < ${go.path}; printf 'efgh123 done\\n'; echo https://me:pw123456@example.com/x; exit 1`;
    const result = await runStep(step(run, { name: `deploy ${SECRET}` }), 0, ctx);
    await runStep(step('echo second run', { name: `deploy ${SECRET}` }), 0, { ...ctx, reporter: recorder() });
    const log = readFileSync(result.logFile, 'utf8');
    expect(result.name).toBe('deploy ***');
    expect(result.logFile).toMatch(/\/01-deploy\.log$/);
    expect(result.tail).toEqual(['token is ***', 'half *** done', 'https://***@example.com/x']);
    for (const text of [log, stream.text(), JSON.stringify(result)]) {
      expect(text).not.toContain('abcdefgh');
      expect(text).not.toContain('pw123456');
    }
    expect(log).toContain('token is ***\nhalf *** done\n');
    expect(log).toContain('$ echo "token is $GITHUB_TOKEN"');
    expect(log).toMatch(/^==> 2026-11-21T10:00:00Z  phase build  attempt 1 of 1  \$ /);
    expect(log).toMatch(/==> exit 1 after .*\n==> .*attempt 1 of 1  \$ echo second run\nsecond run\n==> exit 0 after/);
  });

  it('names a step after its command and files its log by number', () => {
    expect(stepName({ run: 'npm ci &&\n  npm run build && npm run package --workspaces' })).toBe('npm ci && npm run build && npm run package --workspaces');
    // Long: cut at a word, marked — never `./deploy.sh production "$RELMGR_` (it reads as broken quoting).
    expect(stepName({ run: './scripts/deploy.sh production "$RELMGR_PREVIOUS_VERSION" --and --many --more --flags' })).toBe('./scripts/deploy.sh production "$RELMGR_PREVIOUS_VERSION" --and --many …');
    expect(stepName({ name: 'Build', run: 'make' })).toBe('Build');
    expect(logFileName(0, 'npm ci && npm run build')).toBe('01-npm-ci-npm-run-build.log');
    expect(logFileName(11, '***')).toBe('12-step.log');
  });
});

describe('step reporter', () => {
  const logFile = '/r/.relmgr/logs/01-build.log';
  const base: StepResult = { name: 'build', status: 'succeeded', attempts: 1, exitCode: 0, durationMs: 12_345, logFile, tail: [] };
  const result = (extra: Partial<StepResult>): StepResult => ({ ...base, ...extra });
  const clock = () => new Date('2026-11-21T10:00:00.123Z');

  it('writes timestamped lines without a terminal', () => {
    const stream = fakeStream(false);
    const reporter = createStepReporter(stream, { color: false, clock });
    reporter.start('build', 1, 3);
    reporter.output('build', 'quiet\n');
    reporter.start('build', 2, 3);
    reporter.finish(result({ status: 'failed', exitCode: 1, durationMs: 400, attempts: 3, tail: ['npm ERR! missing script', 'done'] }));
    reporter.start('deploy', 1, 1);
    reporter.finish(result({ name: 'deploy', status: 'timed_out', exitCode: null, durationMs: 900_050 }));
    reporter.start('lint', 1, 1);
    reporter.finish(result({ name: 'lint' }));
    expect(stream.text()).toBe(
      [
        '2026-11-21T10:00:00Z  build  started',
        '2026-11-21T10:00:00Z  build  attempt 2 of 3',
        '2026-11-21T10:00:00Z  build  failed (exit 1) after 0.4s (3 attempts)',
        '    npm ERR! missing script',
        '    done',
        '    full log: /r/.relmgr/logs/01-build.log',
        '2026-11-21T10:00:00Z  deploy  started',
        '2026-11-21T10:00:00Z  deploy  timed out after 15m',
        '    full log: /r/.relmgr/logs/01-build.log',
        '2026-11-21T10:00:00Z  lint  started',
        '2026-11-21T10:00:00Z  lint  succeeded in 12.3s',
        '',
      ].join('\n'),
    );
  });

  it('streams output lines prefixed with the step name when verbose', () => {
    const stream = fakeStream(false);
    const reporter = createStepReporter(stream, { color: false, clock, verbose: true });
    reporter.start('build', 1, 1);
    reporter.output('build', 'one\ntw');
    reporter.output('build', 'o\nthree');
    reporter.finish(result({ status: 'failed', exitCode: 2, tail: ['three'] }));
    const lines = stream.text().split('\n').slice(1, 5);
    expect(lines).toEqual(['build | one', 'build | two', 'build | three', '2026-11-21T10:00:00Z  build  failed (exit 2) after 12.3s']);
  });

  it('redraws a live line on a terminal and replaces it with the outcome', () => {
    vi.useFakeTimers();
    let now = new Date('2026-11-21T10:00:00Z').getTime();
    const stream = fakeStream(true);
    const reporter = createStepReporter(stream, { color: false, clock: () => new Date(now) });
    reporter.start('build', 1, 1);
    now += 2500;
    vi.advanceTimersByTime(250);
    reporter.finish(result({ status: 'failed', exitCode: 1, tail: ['boom'] }));
    const text = stream.text();
    expect(text.startsWith('\r\x1b[2K⠋ build  0s')).toBe(true);
    expect(text).toContain('\r\x1b[2K⠙ build  2s');
    expect(text).toContain('\r\x1b[2K✖ build  failed (exit 1) after 12.3s\n    boom\n');
    expect(text).not.toContain('\x1b[3'); // no colour when color is false
    const before = text.length;
    vi.advanceTimersByTime(1000);
    expect(stream.text().length).toBe(before); // the interval stopped
  });

  it('colours the final line only when asked', () => {
    const stream = fakeStream(true);
    const reporter = createStepReporter(stream, { color: true, clock });
    reporter.start('build', 2, 3);
    reporter.finish(result({}));
    expect(stream.text()).toContain('build (attempt 2 of 3)');
    expect(stream.text()).toContain('\x1b[32m✔\x1b[39m build  succeeded in 12.3s\n');
  });
});
