/** Exit codes of the command-line contract. Scripts branch on these. */
export const ExitCode = {
  ok: 0,
  runtime: 1,
  usage: 2,
  precondition: 3,
  pending: 10,
  rejected: 11,
  timedOut: 12,
  stepFailed: 20,
  rolledBack: 21,
  rollbackFailed: 22,
  aborted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

const { runtime, usage, precondition, stepFailed, rolledBack, rollbackFailed, aborted } = ExitCode;

/**
 * Every error code relmgr reports: its exit code and what it means, one line each. Adding a code is
 * one line here; the type below makes a code that is not listed a compile error, and the docs table
 * (docs/errors.md) is checked against this list by a test.
 */
export const ERROR_CODES = {
  E_ABANDONED: [precondition, 'the release is already abandoned'],
  E_ABORTED: [aborted, 'stopped by the user (Ctrl-C, or "no" at a confirmation)'],
  E_BAD_REF: [usage, 'a --from/--to reference does not name a commit'],
  E_BRANCH_MOVED: [precondition, 'relmgr push: the branch moved on the remote since the cut'],
  E_COMMIT_ELSEWHERE: [precondition, 'the release commit is not in this clone: it was cut with --no-push in another one'],
  E_CONFIG: [usage, 'the release config has problems (schema or lint)'],
  E_CONFIG_EXISTS: [precondition, 'init found a release config already there'],
  E_CONFIG_MISSING: [usage, 'the release config named or needed does not exist'],
  E_COMMENT_REQUIRED: [usage, 'relmgr reject needs --comment: a rejection says why'],
  E_CUT_FAILED: [stepFailed, 'cut failed after changing things, and undid them'],
  E_CUT_PRECONDITIONS: [precondition, 'the working tree or branch is not fit for a cut'],
  E_DECIDED: [precondition, 'you already decided this gate (or checklist item) the other way, and it does not allow a change'],
  E_DEPLOYED: [precondition, 'a release a production-tier environment runs cannot be abandoned (roll it back, or close it)'],
  E_ENV_LOCKED: [ExitCode.pending, 'a deploy or rollback already runs in that environment (its lock, across machines): --wait waits for it to end'],
  E_GATE_CLOSED: [precondition, 'a decision on a gate that was rejected or timed out for this plan: a new plan asks it afresh'],
  E_GATE_PENDING: [ExitCode.pending, 'a gate is not satisfied yet (approval, checklist, window, freeze, wait): the hint says what satisfies it'],
  E_GATE_REJECTED: [ExitCode.rejected, 'an approval was rejected or a checklist item answered no'],
  E_GATE_TIMED_OUT: [ExitCode.timedOut, 'an approval was not given within its timeout'],
  E_GIT: [runtime, 'a git command failed'],
  E_HOTFIX_BASE: [precondition, 'a hotfix (--pick) needs a release to patch, and the project has no release tag'],
  E_INIT_INVALID: [usage, 'the answers given to init make a config that does not validate'],
  E_INTERNAL: [runtime, 'an unexpected error: a bug in relmgr'],
  E_INTERRUPTED: [aborted, 'a signal stopped a phase during a step (recorded); the hint names the relmgr resume that continues it'],
  E_LEDGER_CORRUPT: [runtime, 'the ledger refers to git objects that are missing'],
  E_LEDGER_FETCH: [runtime, 'the ledger could not be fetched from the remote'],
  E_LEDGER_PUSH: [runtime, 'the ledger could not be pushed to the remote'],
  E_LEDGER_RACE: [runtime, 'the ledger kept moving while relmgr appended to it'],
  E_LEDGER_REMOTE: [precondition, 'the ledger remote in the config is missing'],
  E_LOCKED: [precondition, 'another relmgr command holds the lock of this clone'],
  E_NETWORK_TIMEOUT: [runtime, 'a remote did not answer git fetch, ls-remote or push in time (network.timeout)'],
  E_NOTHING_TO_DECIDE: [precondition, 'approve or reject without --gate: no approval gate of the release awaits your decision'],
  E_NOTHING_TO_RESUME: [precondition, 'no failed or interrupted phase to resume'],
  E_NOT_ELIGIBLE: [precondition, 'the git identity may not decide this gate (not among its people, or the initiator without allow_self)'],
  E_ORDER: [precondition, 'deploy: an environment before this one in phases.deploy.order does not run this release now'],
  E_HOTFIX_MISSING: [precondition, 'deploy: the environment runs a hotfix whose picked commits this release lacks (it would undo the fix)'],
  E_NOT_GIT_REPO: [precondition, 'the directory is not inside a git repository'],
  E_NOT_OURS: [usage, 'an output file (--ics, --html) exists and relmgr did not write it: never overwritten'],
  E_NO_COMMITS: [precondition, 'the repository has no commits yet'],
  E_NO_DIR: [usage, 'the -C/--cwd directory does not exist or is not a directory'],
  E_NO_GIT: [precondition, 'git is not installed or not on PATH'],
  E_NO_IDENTITY: [precondition, 'git has no user.name/user.email to record who acted'],
  E_NO_RELEASE: [precondition, 'there is no open release, or no release with that version'],
  E_NO_ROLLBACK: [precondition, 'rollback: the release does not run there, or nothing to go back to (none ran before, --to never ran there, no steps)'],
  E_NO_REMOTE: [precondition, 'relmgr push has no remote to push to'],
  E_PHASE_RUNNING: [precondition, 'a phase still runs (here, or on another host): wait; resume --takeover a run gone for good'],
  E_TAKEN_OVER: [precondition, 'another machine took this run over (resume --takeover): it stopped at a step boundary'],
  E_PICK: [usage, 'a --pick names no commit here, one named twice, a merge, or one already in the release the hotfix starts from'],
  E_PICK_CONFLICT: [precondition, 'a --pick does not apply cleanly onto the release the hotfix starts from'],
  E_PLAN_PRECONDITIONS: [precondition, 'plan refused and recorded nothing: branch, detached HEAD, tag, ledger or version files (all listed)'],
  E_PUSH: [runtime, 'the remote refused the release push'],
  E_REASON_REQUIRED: [usage, 'abandoning or replacing a release whose tag is published, or a rollback, needs --reason'],
  E_RELEASE_OPEN: [precondition, 'a release is already open (or another machine planned one at the same time)'],
  E_ROLLBACK_FAILED: [rollbackFailed, 'a deploy failed (on_failure: rollback) and so did the rollback: the environment may run neither version'],
  E_ROLLED_BACK: [rolledBack, 'a deploy failed (on_failure: rollback), and the environment was rolled back to the version it ran before'],
  E_REMOTE: [runtime, 'the remote could not be asked for its tags'],
  E_RESUME_DECIDE: [precondition, 'an interrupted step is not idempotent: choose --rerun or --assume-done'],
  E_SHALLOW: [precondition, 'the clone is too shallow to see the last release'],
  E_STATE: [precondition, "the release is not in a state that allows this command"],
  E_STEP_FAILED: [stepFailed, 'a step failed; relmgr resume continues from it'],
  E_STEP_SPAWN: [runtime, 'a step could not be started'],
  E_STEP_TIMEOUT: [usage, "a step's timeout is not a duration"],
  E_TAG_EXISTS: [precondition, 'relmgr push: the tag is already on the remote at another commit'],
  E_TAG_FORMAT: [precondition, 'the release tags are in another format than versioning.tag, or a release in the other spelling is ahead'],
  E_TEMPLATE: [usage, 'a template has a syntax or render error'],
  E_TEMPLATE_MISSING: [usage, 'a template file does not exist'],
  E_TRACK: [usage, 'the emergency track needs --reason (unless require.reason: false), or a matching --incident'],
  E_UNKNOWN_ENV: [usage, 'an environment the release config does not define'],
  E_UNKNOWN_GATE: [usage, 'an unknown --env, --gate, --checklist or --item, or several gates await you and --gate must name one'],
  E_UNREADABLE: [precondition, 'a file or directory relmgr needs cannot be read (permissions, or a directory where a file belongs)'],
  E_UNWRITABLE: [precondition, 'a file relmgr writes cannot be written (permissions, a read-only file system)'],
  E_USAGE: [usage, 'invalid usage: an unknown option or command, a bad or conflicting flag'],
  E_VERSION: [usage, 'a forced version breaks the versioning rules'],
  E_VERSION_DOWNGRADE: [precondition, 'plan or cut would write a version file below the version it already holds'],
  E_VERSION_FILE: [precondition, 'a version file is missing or its locator does not match'],
  E_WRONG_COMMIT: [precondition, 'HEAD is not the release commit'],
} as const satisfies Record<`E_${string}`, readonly [ExitCodeValue, string]>;

export type ErrorCode = keyof typeof ERROR_CODES;
/** The codes whose exit code is `E`: a UsageError can only carry a usage code, and so on. */
export type CodeWithExit<E extends ExitCodeValue> = { [K in ErrorCode]: (typeof ERROR_CODES)[K][0] extends E ? K : never }[ErrorCode];

export const exitCodeOf = (code: ErrorCode): ExitCodeValue => ERROR_CODES[code][0];

export interface RelmgrErrorOptions {
  /** The next command or action that gets the user unstuck. */
  hint?: string;
  cause?: unknown;
  /** Extra lines printed under the message (e.g. a list of problems). */
  details?: string[];
  /** More for `--json` (the gates that hold a phase, as objects): merged into the error document. */
  data?: Record<string, unknown>;
}

/** Every expected failure is a RelmgrError: a code from the catalogue, its exit code and a hint. */
export class RelmgrError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  readonly details: string[];
  readonly data: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: RelmgrErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RelmgrError';
    this.code = code;
    this.exitCode = exitCodeOf(code);
    this.hint = options.hint;
    this.details = options.details ?? [];
    this.data = options.data ?? {};
  }
}

/** Invalid usage: a bad flag value, an unreadable template (exit 2). */
export class UsageError extends RelmgrError {
  constructor(code: CodeWithExit<typeof usage>, message: string, options?: RelmgrErrorOptions) {
    super(code, message, options);
    this.name = 'UsageError';
  }
}

/** A precondition does not hold: not a repository, no commits, history too shallow (exit 3). */
export class PreconditionError extends RelmgrError {
  constructor(code: CodeWithExit<typeof precondition>, message: string, options?: RelmgrErrorOptions) {
    super(code, message, options);
    this.name = 'PreconditionError';
  }
}

/** The outside world failed: git, the file system, a hook (exit 1). */
export class RuntimeError extends RelmgrError {
  constructor(code: CodeWithExit<typeof runtime>, message: string, options?: RelmgrErrorOptions) {
    super(code, message, options);
    this.name = 'RuntimeError';
  }
}

export function isRelmgrError(error: unknown): error is RelmgrError {
  return error instanceof RelmgrError;
}
