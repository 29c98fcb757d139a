import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from './adapters/clock.js';
import { nodeFs } from './adapters/fs.js';
import type { Context } from './context.js';
import { ExitCode, UsageError } from './errors.js';
import { packageRoot } from './paths.js';
import { guardOutput } from './ui/boundary.js';
import { errorExitCode, printError, printJsonError, useColor } from './ui/output.js';
import { Redactor } from './core/redact.js';

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The real context: the process's streams, environment and working directory. */
export function processContext(): Context {
  // A reader that stops early (`relmgr changelog --all | head`) is not an error: stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  return {
    cwd: process.cwd(),
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    clock: systemClock(process.env),
    fs: nodeFs,
    secrets: new Redactor(process.env),
    git: async (cwd) => {
      const { createGit } = await import('./adapters/git.js');
      return createGit(cwd ?? process.cwd(), process.env);
    },
  };
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
