import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { interruptibleSleep, systemClock } from './adapters/clock.js';
import { appendText, nodeFs } from './adapters/fs.js';
import { createReleaseGit } from './adapters/git-release.js';
import { createGitStore } from './adapters/git-store.js';
import { fetchHttp } from './adapters/http.js';
import { acquireLock, thisHost } from './adapters/lock.js';
import { spawnRelmgr } from './adapters/background.js';
import { openOutputLog, runShell } from './adapters/process.js';
import type { PromptPort } from './adapters/prompts.js';
import type { Context, TextIn, TextOut } from './context.js';
import { ExitCode, UsageError } from './errors.js';
import { packageRoot } from './paths.js';
import { guardOutput } from './ui/boundary.js';
import { errorExitCode, printError, printJsonError, useColor } from './ui/output.js';
import { Redactor } from './core/redact.js';

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** What a context is built from: the process's streams and environment, or a test's. */
export interface ContextIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdin: TextIn;
  stdout: TextOut;
  stderr: TextOut;
}

/**
 * The only place adapters are built. Each port is the real one; a test passes `overrides` (a fake
 * clock and sleep, scripted prompts, a recording shell) and keeps the rest real.
 */
export function createContext(io: ContextIo, overrides: Partial<Context> = {}): Context {
  const secrets = new Redactor(io.env);
  return {
    ...io,
    // Asked only by the commands that show times in the viewer's zone: Intl's zone data costs ~20 ms to load.
    viewerZone: () => viewerZone(io.env),
    clock: systemClock(io.env),
    wallClock: systemClock({}),
    sleep: interruptibleSleep,
    fs: nodeFs,
    secrets,
    host: thisHost(),
    git: async (cwd) => {
      const { createGit } = await import('./adapters/git.js');
      return createGit(cwd ?? io.cwd, io.env);
    },
    releaseGit: (root, timeoutMs) => createReleaseGit(root, io.env, timeoutMs),
    ledgerStore: (root) => createGitStore(root, io.env),
    lock: acquireLock,
    shell: { run: runShell, openLog: openOutputLog },
    http: fetchHttp,
    spawnDetached: (args, log) => spawnRelmgr(args, log, io.cwd, io.env),
    prompts: (command) => lazyPrompts(io, command),
    appendText,
    ...overrides,
  };
}

/** `TZ` when it names an IANA zone (`Europe/Berlin`, `:Europe/Berlin`), else the system's zone. */
export function viewerZone(env: Readonly<Record<string, string | undefined>>): string {
  const tz = env.TZ?.replace(/^:/, '');
  if (tz) {
    try {
      return new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;
    } catch {
      // Not a zone Intl knows (a POSIX rule like EST5EDT,M3.2.0,M11.1.0): the system's zone.
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Prompts load @inquirer/prompts only when a question is asked. */
function lazyPrompts(io: Pick<ContextIo, 'stdin' | 'stderr'>, command: string): PromptPort {
  const port = async (): Promise<PromptPort> => (await import('./adapters/prompts.js')).terminalPrompts(io, command);
  return {
    text: async (message, initial, validate) => (await port()).text(message, initial, validate),
    confirm: async (message, initial) => (await port()).confirm(message, initial),
    select: async (message, choices) => (await port()).select(message, choices),
  };
}

/** The real context: the process's streams, environment and working directory. */
export function processContext(): Context {
  // A reader that stops early (`relmgr changelog --all | head`) is not an error: stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  return createContext({ cwd: process.cwd(), env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
}

/** Runs relmgr and returns its exit code. The only place errors become exit codes. */
export async function main(argv: readonly string[], given: Context = processContext()): Promise<number> {
  const verbose = argv.includes('--verbose');
  const json = argv.includes('--json');
  const color = useColor(given.stderr, given.env, argv.includes('--no-color') ? false : undefined);
  // Under --json, stdout is held until the end: a command that fails after printing its document
  // (writing a CI output file, say) prints the error document instead, never two documents.
  const held: string[] = [];
  const stdout = json ? { write: (text: string) => held.push(text), isTTY: given.stdout.isTTY, raw: given.stdout } : given.stdout;
  const ctx = guardOutput({ ...given, stdout }, { redact: given.secrets.redact, json, styledStderr: color || given.stderr.isTTY === true });
  const failed = (error: unknown): void => {
    held.length = 0;
    if (json) printJsonError(ctx.stdout, error);
  };
  let exitCode: number = ExitCode.ok;
  try {
    const { buildProgram } = await import('./cli.js');
    const program = buildProgram(ctx, packageVersion(), (code) => {
      exitCode = code;
    });
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    const commander = error as { code?: unknown; message?: unknown };
    if (typeof commander.code === 'string' && commander.code.startsWith('commander.')) {
      // Help and version are successes; every other commander complaint is invalid usage (commander printed it).
      if (['commander.helpDisplayed', 'commander.version'].includes(commander.code)) return ExitCode.ok;
      // `relmgr` alone (or `relmgr help <unknown>`) shows the help and is a usage error with no message of its own.
      const message = commander.code === 'commander.help' ? 'no command given (or help asked for an unknown one): relmgr <command>' : String(commander.message ?? 'invalid usage').replace(/^error: /, '');
      failed(new UsageError('E_USAGE', message, { hint: 'relmgr --help lists every command; relmgr <command> --help its options' }));
      return ExitCode.usage;
    }
    printError(ctx, error, { verbose, color });
    failed(error);
    return errorExitCode(error);
  } finally {
    if (held.length > 0) given.stdout.write(held.join(''));
  }
}
