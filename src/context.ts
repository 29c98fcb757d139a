import type { Clock } from './adapters/clock.js';
import type { FsPort } from './adapters/fs.js';
import type { GitPort } from './adapters/git.js';
import type { ReleaseGit } from './adapters/git-release.js';
import type { GitStore } from './adapters/git-store.js';
import type { HttpPort } from './adapters/http.js';
import type { Host, Lock } from './adapters/lock.js';
import type { OutputLog, ShellResult, ShellRun } from './adapters/process.js';
import type { PromptPort } from './adapters/prompts.js';
import type { Redactor } from './core/redact.js';
import type { TextIn, TextOut } from './streams.js';

export type { TextIn, TextOut } from './streams.js';

/** Release steps' shells: a real one in production, a recording one in tests. */
export interface ShellPort {
  run(run: ShellRun): Promise<ShellResult>;
  /** A step's log file, appended to. */
  openLog(path: string): Promise<OutputLog>;
}

/**
 * Everything a command may touch. Built once in main.ts (tests build their own with
 * `createContext`): nothing below main constructs an adapter or reads process.* — it reads this.
 */
export interface Context {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The viewer's time zone (IANA): `TZ` from the environment when it names one, else the system's. */
  viewerZone(): string;
  stdin: TextIn;
  stdout: TextOut;
  stderr: TextOut;
  /** The documents' clock: SOURCE_DATE_EPOCH pins it (changelog and notes dates). */
  clock: Clock;
  /** The real time, whatever SOURCE_DATE_EPOCH says: ledger stamps, durations, stable_for. */
  wallClock: Clock;
  /** Waits `ms`; an aborted `signal` ends the wait early. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  fs: FsPort;
  /** The secrets of this run, masked in every output: stdout, stderr, step logs, the ledger. */
  secrets: Redactor;
  /** This machine: phase.started records it, liveness of running phases is judged against it. */
  host: Host;
  /** The git port for a working directory; loaded lazily so `--help` never pays for it. */
  git(cwd?: string): Promise<GitPort>;
  /** The release's git operations (commit, tag, atomic push), waiting at most `timeoutMs` on a remote. */
  releaseGit(root: string, timeoutMs: number): ReleaseGit;
  /** The object store the ledger is kept in. */
  ledgerStore(root: string): GitStore;
  /** The clone's lock: one relmgr at a time changes a clone's release. */
  lock(path: string, what: string): Promise<Lock>;
  shell: ShellPort;
  /** Webhooks (notifications). */
  http: HttpPort;
  /**
   * Starts `relmgr <args>` in the background, detached from this process (its output appended to
   * `log`): what is still being retried when a command ends is handed to it.
   */
  spawnDetached(args: readonly string[], log: string): Promise<void>;
  /** Questions at a terminal; `command` is named again if the user stops at one. */
  prompts(command: string): PromptPort;
  /** Appends to a file outside the repository: CI output files ($GITHUB_OUTPUT, dotenv reports). */
  appendText(path: string, text: string): Promise<void>;
}
