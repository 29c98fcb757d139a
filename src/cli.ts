import { Command, Option } from 'commander';
import type { Context } from './context.js';

type Runner = (ctx: Context, options: Record<string, unknown>) => Promise<number>;
type Loader = () => Promise<Record<string, unknown>>;

/**
 * Builds the command-line program. Commands are registered with their options only; the code
 * behind each is imported when it runs, so `relmgr --help` loads nothing else.
 */
export function buildProgram(ctx: Context, version: string, setExit: (code: number) => void): Command {
  const program = new Command('relmgr')
    .description('Release orchestration: versions from conventional commits, changelogs, gates and a release ledger kept in git.')
    .version(version, '-V, --version', 'print the relmgr version')
    .option('-C, --cwd <dir>', 'run as if started in <dir>')
    .option('-c, --config <file>', 'the release config file (default: release.config.yaml, then .yml, in the repository root)')
    .option('--json', 'print one JSON document on stdout instead of text')
    .option('-y, --yes', 'answer confirmations with yes and take defaults; never prompt (it never satisfies a gate)')
    .option('--non-interactive', 'never prompt, even on a terminal')
    .option('--no-color', 'never colour the output (NO_COLOR works too)')
    .option('--verbose', 'more detail on stderr, including stack traces of errors')
    .showHelpAfterError('hint: relmgr --help lists every command; relmgr <command> --help its options')
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
      // Commander's complaints are usage errors: shown with their code, like every other error.
      outputError: (text, write) => write(text.replace(/^error: /, 'error[E_USAGE]: ')),
    })
    .exitOverride();

  const action = (load: Loader, name = 'run') =>
    async function (this: Command): Promise<void> {
      const run = (await load())[name] as Runner;
      setExit(await run(ctx, this.optsWithGlobals()));
    };
  /** A command whose argument is an environment: `relmgr deploy staging`. */
  const envAction = (load: () => Promise<{ run: (ctx: Context, env: string, options: Record<string, unknown>) => Promise<number> }>) =>
    async function (this: Command, env: string): Promise<void> {
      setExit(await (await load()).run(ctx, env, this.optsWithGlobals()));
    };
  const track = () => new Option('--track <track>', 'release track').choices(['normal', 'emergency']);

  program
    .command('next')
    .description('print the next version (and nothing else) on stdout')
    .option('--pre <id>', 'compute a pre-release: 1.4.0-<id>.N')
    .option('--release-as <version>', 'force the next version (must be greater than the last release)')
    .addOption(track())
    .option('--pick <commit...>', 'the emergency track: the version of a hotfix carrying these commits (see plan)')
    .option('--dotenv <file>', 'also write RELMGR_VERSION, RELMGR_TAG, RELMGR_STATE, RELMGR_ENVIRONMENT, RELMGR_RELEASED, RELMGR_BUMP to <file> (GitLab dotenv report, Jenkins readProperties)')
    .addHelpText(
      'after',
      '\nExamples:\n  relmgr next                  # 1.4.0\n  relmgr next --pre rc         # 1.4.0-rc.0\n  relmgr next --json           # version, bump and the commits behind it\n\nNothing to release: empty stdout, a message on stderr, exit 0.',
    )
    .action(action(() => import('./commands/next.js')));

  program
    .command('changelog')
    .description('render the changelog (markdown) for the unreleased commits, a range, or the whole history')
    .option('--from <ref>', 'start of the range (exclusive; default: the release before --to)')
    .option('--to <ref>', 'end of the range (inclusive; default: HEAD)')
    .option('--all', 'the whole history: one section per release tag, newest first')
    .option('--write [file]', 'insert into CHANGELOG.md (or <file>) instead of printing')
    .option('--template <file>', 'a Handlebars template for each section')
    .option('--pre <id>', 'title the unreleased section as a pre-release')
    .option('--release-as <version>', 'title the unreleased section with this version')
    .addOption(track())
    .addHelpText(
      'after',
      '\nExamples:\n  relmgr changelog                      # the next version\'s section\n  relmgr changelog --from v1.2.0 --to v1.3.0\n  relmgr changelog --all --write        # rebuild CHANGELOG.md sections from every release tag',
    )
    .action(action(() => import('./commands/changelog.js')));

  program
    .command('init')
    .description('write a release.config.yaml (asks a few questions on a terminal; --yes takes the defaults)')
    .option('--force', 'overwrite an existing config')
    .addHelpText('after', '\nExamples:\n  relmgr init            # on a terminal: a few questions\n  relmgr init --yes      # defaults, no questions (also what CI gets)')
    .action(action(() => import('./commands/init.js')));

  program
    .command('validate')
    .description('check the release config file: schema and lint, every problem at once with file:line:col')
    .addHelpText('after', '\nExamples:\n  relmgr validate\n  relmgr validate -c deploy/release.config.yaml --json\n\nExit 0 when valid (warnings go to stderr), 2 when not.')
    .action(action(() => import('./commands/validate.js')));

  program
    .command('plan')
    .description('open a release: the version and why, the commits, the gates ahead; records release.planned in the ledger')
    .option('--pre <id>', 'plan a pre-release: 1.4.0-<id>.N')
    .option('--release-as <version>', 'force the version')
    .addOption(track())
    .option('--reason <text>', 'why (the emergency track may require it)')
    .option('--incident <id>', 'the incident (the emergency track may require it)')
    .option('--pick <commit...>', 'the emergency track: a hotfix of the release in production carrying only these commits (cut makes hotfix/<version>)')
    .option('--replace', 'abandon the open release and plan a new one')
    .option('--target <when>', 'the deadline: YYYY-MM-DD (end of that day), YYYY-MM-DDTHH:MM (calendars.timezone) or an RFC 3339 instant; default: the next train (schedule.trains)')
    .option('--dry-run', 'show the plan and record nothing')
    .option('--dotenv <file>', 'also write RELMGR_VERSION, RELMGR_TAG, RELMGR_STATE, RELMGR_ENVIRONMENT, RELMGR_RELEASED (and RELMGR_PHASE, RELMGR_NEXT for an open failed release) to <file>')
    .addHelpText('after', '\nAn open release whose phase failed or was interrupted is not planned over: plan exits 0 with state=failed|interrupted,\nphase, and next=resume (continue it: relmgr resume) or next=replace (HEAD moved past it: relmgr plan --replace).\n\nExamples:\n  relmgr plan\n  relmgr plan --dry-run --json\n  relmgr plan --track emergency --reason "checkout down" --incident INC-42\n  relmgr plan --track emergency --reason "checkout down" --pick 1a2b3c4   # hotfix/<version> from production')
    .action(action(() => import('./commands/plan.js')));

  program
    .command('cut')
    .description('the build phase: build steps, version files, CHANGELOG.md, release notes, one release commit, an annotated tag, one atomic push')
    .option('--dry-run', 'show the version, the diffs and the commands; change nothing')
    .option('--no-push', 'commit and tag locally, push nothing')
    .option('--wait <duration>', 'when a gate is not satisfied: keep looking (re-fetching the ledger) until it is, or this long has passed (exit 10)')
    .option('--dotenv <file>', 'also write RELMGR_VERSION, RELMGR_TAG, RELMGR_STATE, RELMGR_ENVIRONMENT, RELMGR_RELEASED to <file> (GitLab dotenv report, Jenkins readProperties)')
    .addOption(new Option('--pick <commit...>').hideHelp())
    .addHelpText('after', '\nExamples:\n  relmgr cut --dry-run\n  relmgr cut\n\nA failed step undoes what cut changed and exits 20: fix it, then relmgr resume.')
    .action(action(() => import('./commands/cut.js')));

  program
    .command('push')
    .description('publish a release cut with --no-push: its release commit and tag in one atomic push, recorded in the ledger')
    .option('--release <version>', 'a release other than the open one')
    .option('--dotenv <file>', 'also write RELMGR_VERSION, RELMGR_TAG, RELMGR_STATE, RELMGR_ENVIRONMENT, RELMGR_RELEASED to <file> (GitLab dotenv report, Jenkins readProperties)')
    .addHelpText(
      'after',
      '\nExamples:\n  relmgr cut --no-push      # commit and tag here, look at them\n  relmgr test               # test works on an unpushed release too\n  relmgr push               # then publish: branch and tag together, or neither\n\nAlready pushed: exit 0 (recorded if the ledger did not know). relmgr status says when a cut release is not pushed.',
    )
    .action(action(() => import('./commands/push.js')));

  program
    .command('test')
    .description('the test phase: test steps and check gates, for a cut release')
    .option('--release <version>', 'a release other than the open one')
    .option('--wait <duration>', 'when a gate is not satisfied: keep looking (re-fetching the ledger) until it is, or this long has passed (exit 10)')
    .option('--dotenv <file>', 'also write RELMGR_VERSION, RELMGR_TAG, RELMGR_STATE, RELMGR_ENVIRONMENT, RELMGR_RELEASED to <file> (GitLab dotenv report, Jenkins readProperties)')
    .action(action(() => import('./commands/test.js')));

  program
    .command('deploy')
    .description('the deploy phase in one environment: its entry gates, deploy steps and exit gates, in promotion order')
    .argument('<env>', 'the environment (environments: in the release config)')
    .option('--release <version>', 'a release other than the open one')
    .option('--redeploy', 'deploy again to an environment that already has this release (or had it, and was rolled back)')
    .option('--dry-run', 'show the gates and steps it would run, and the exit code it would give; change nothing')
    .option('--wait <duration>', 'when a gate is not satisfied: keep looking (re-fetching the ledger) until it is, or this long has passed (exit 10)')
    .option('--dotenv <file>', 'also write RELMGR_VERSION, RELMGR_TAG, RELMGR_STATE, RELMGR_ENVIRONMENT, RELMGR_RELEASED to <file> (GitLab dotenv report, Jenkins readProperties)')
    .addHelpText('after', '\nExamples:\n  relmgr deploy staging\n  relmgr deploy production --wait 2h\n\nA failed step exits 20 (relmgr resume continues), or rolls back (on_failure: rollback) and exits 21 (22 if the rollback failed).')
    .action(envAction(() => import('./commands/deploy.js')));

  program
    .command('rollback')
    .description('roll an environment back to the version it ran before this release (or --to one that ran there), recorded')
    .argument('<env>', 'the environment (environments: in the release config)')
    .option('--reason <text>', 'why (required: recorded in the ledger)')
    .option('--to <version>', 'a version that succeeded in the environment before (default: the one before this release)')
    .option('--release <version>', 'a release other than the open one')
    .option('--dry-run', 'show the steps it would run; change nothing')
    .option('--wait <duration>', 'when another deploy or rollback runs there: wait for it, this long at most (exit 10)')
    .option('--dotenv <file>', 'also write RELMGR_VERSION, RELMGR_TAG, RELMGR_STATE, RELMGR_ENVIRONMENT to <file>')
    .addHelpText('after', '\nExamples:\n  relmgr rollback production --reason "checkout errors"\n  relmgr rollback staging --to 1.2.0 --reason "bad migration"\n\nRELMGR_PREVIOUS_VERSION is the version the rollback steps restore. A failed rollback step exits 20 (relmgr resume continues).')
    .action(envAction(() => import('./commands/rollback.js')));

  program
    .command('monitor')
    .description('the monitor phase of a release in production: its steps, check gates and soak (wait) gates')
    .option('--release <version>', 'a release other than the open one')
    .option('--wait <duration>', 'when a gate is not satisfied (a soak wait, say): keep looking until it is, or this long has passed (exit 10)')
    .option('--dotenv <file>', 'also write RELMGR_VERSION, RELMGR_TAG, RELMGR_STATE to <file>')
    .addHelpText('after', '\nExamples:\n  relmgr monitor\n  relmgr monitor --wait 1h      # sit out a soak wait\n\nRefused (exit 3) before the production-tier environment has the release. A failing step or check exits 20:\nthe release failed in production (relmgr rollback <env> --reason "…" rolls it back; relmgr resume retries).')
    .action(action(() => import('./commands/monitor.js')));

  program
    .command('close')
    .description('the feedback phase: its steps and gates, a review note, and the release closed with its outcome')
    .option('--release <version>', 'a release other than the open one')
    .option('--note <text>', 'the post-release review note (asked for on a terminal when not given)')
    .option('--wait <duration>', 'when a gate is not satisfied: keep looking until it is, or this long has passed (exit 10)')
    .option('--dotenv <file>', 'also write RELMGR_VERSION, RELMGR_TAG, RELMGR_STATE to <file>')
    .addHelpText('after', '\nExamples:\n  relmgr close --note "went fine; the cache warm-up took 4 minutes"\n\nA release may be closed once it reached production (deployed, monitored) or was rolled back\n(or was tested, when no environment is configured). Closed twice: exit 3, nothing recorded.')
    .action(action(() => import('./commands/close.js')));

  program
    .command('release')
    .description('walk the open release as far as it goes: cut, test, each environment in order, monitor, and close with --note')
    .option('--note <text>', 'close the release at the end with this review note (without it, release stops before the close)')
    .option('--wait <duration>', 'when a gate is not satisfied: keep looking until it is, or this long has passed (exit 10)')
    .option('--no-push', 'a cut on the way commits and tags locally, pushes nothing')
    .option('--dry-run', 'list the phases that would run, run nothing')
    .option('--dotenv <file>', 'also write RELMGR_VERSION, RELMGR_TAG, RELMGR_STATE, RELMGR_ENVIRONMENT, RELMGR_RELEASED to <file>')
    .addHelpText('after', '\nExamples:\n  relmgr plan && relmgr release          # as far as the first gate that is not satisfied\n  relmgr release --wait 2h --note "ok"  # wait at gates, and close at the end\n\nStops at the first gate that is not satisfied (exit 10/11/12; asked at a terminal) or the first failure (its exit code),\nand says where it stopped and what comes next. A failed, interrupted or waiting phase on the way is continued, as relmgr resume would.')
    .action(action(() => import('./commands/release.js')));

  program
    .command('resume')
    .description('continue a failed or interrupted phase from the step that did not finish')
    .option('--rerun', 'rerun a step that was running when relmgr stopped (it is not idempotent)')
    .option('--assume-done', 'record such a step as done instead (the choice is recorded)')
    .option('--takeover', 'resume a phase still running on another host, when that run is gone for good (recorded)')
    .option('--release <version>', 'a release other than the open one (a deploy of an older release left running)')
    .option('--push', 'push when the resumed cut reaches its push, even if it was started with --no-push')
    .option('--no-push', 'do not push when the resumed cut reaches its push')
    .option('--wait <duration>', 'when a gate is not satisfied: keep looking (re-fetching the ledger) until it is, or this long has passed (exit 10)')
    .option('--dotenv <file>', 'also write RELMGR_VERSION, RELMGR_TAG, RELMGR_STATE, RELMGR_ENVIRONMENT, RELMGR_RELEASED to <file> (GitLab dotenv report, Jenkins readProperties)')
    .addHelpText('after', '\nExamples:\n  relmgr resume\n  relmgr resume --assume-done')
    .action(action(() => import('./commands/resume.js')));

  program
    .command('notes')
    .description('render the release notes and install instructions of a release (the open one by default)')
    .option('--release <version>', 'a release other than the open one')
    .action(action(() => import('./commands/notes.js')));

  program
    .command('status')
    .description('where a release stands: phases, steps, results, durations, who ran them, the next command')
    .option('--release <version>', 'a release other than the open one')
    .addHelpText('after', '\nExamples:\n  relmgr status\n  relmgr status --release 1.3.0 --json')
    .action(action(() => import('./commands/status.js')));

  // relmgr report: the release history and the DORA metrics.
  program
    .command('report')
    .description('the release history of a period (or a version range) and the four DORA metrics, from the ledger and git')
    .option('--from <date>', 'the period\'s start: YYYY-MM-DD (a day in calendars.timezone) or an RFC 3339 instant (default: 90 days before --to)')
    .option('--to <date>', 'the period\'s end: YYYY-MM-DD (that whole day included) or an RFC 3339 instant (default: now)')
    .option('--versions <a..b>', 'the releases whose version is in this range, both included, instead of a period (1.2.0..1.5.0)')
    .addOption(new Option('--format <format>', 'text on a terminal, or GitHub-flavoured markdown (a wiki page, a PR comment)').choices(['text', 'markdown']))
    .option('--html <file>', 'write one self-contained HTML page with charts (deploys per week, lead times, failures and restores); prints nothing else unless --json or --format')
    .addHelpText(
      'after',
      '\nExamples:\n  relmgr report                                  # the last 90 days\n  relmgr report --from 2026-07-01 --to 2026-09-30 # one quarter, in calendars.timezone\n  relmgr report --versions 1.2.0..1.5.0 --format markdown\n  relmgr report --html report.html              # open it in a browser; works offline\n  relmgr report --json                           # the document dashboards read\n\nA period with no releases is not an error: it says so, metrics shown as — (null in JSON), exit 0.',
    )
    .action(action(() => import('./commands/report.js')));

  program
    .command('abort')
    .description('abandon the open release (never an older one) if it has not been deployed anywhere')
    .option('--reason <text>', 'why, for the record (required once the release\'s tag is published)')
    .option('--release <version>', 'a release other than the open one')
    .option('--takeover', 'abandon it although a phase still runs on another host, when that run is gone for good (recorded)')
    .addHelpText(
      'after',
      '\nExamples:\n  relmgr abort --reason "wrong branch"\n  relmgr abort --yes --reason "superseded by 1.4.1"   # no question on a terminal\n\nOn a terminal abort asks first (--yes answers); without one (CI, scripts) it does not ask.\nA published tag stays published: the release is recorded as abandoned (superseded), never deleted.\nNothing open: exit 3.',
    )
    .action(action(() => import('./commands/abort.js')));

  const scope = (c: Command): Command =>
    c
      .option('--release <version>', 'a release other than the open one')
      .option('--env <env>', "an environment's gate (without it: a phase's gate, or one whose id is unique)")
      .option('--comment <text>', 'why, for the record')
      .option('--dry-run', 'say what would be recorded, record nothing');
  scope(program.command('approve').description('approve an approval gate of the open release as your git identity (user.email); recorded in the ledger and pushed'))
    .option('--gate <id>', 'the approval gate (default: the one gate awaiting you)')
    .addHelpText('after', '\nExamples:\n  relmgr approve                                 # the one gate awaiting you\n  relmgr approve --env production --gate signoff --comment "LGTM"\n\nNot eligible, or the release\'s initiator without allow_self: exit 3, nothing recorded.')
    .action(action(() => import('./commands/decide.js'), 'approve'));
  scope(program.command('reject').description('reject an approval gate of the open release (a comment is required); recorded in the ledger and pushed'))
    .option('--gate <id>', 'the approval gate (default: the one gate awaiting you)')
    .addHelpText('after', '\nExamples:\n  relmgr reject --gate signoff --comment "error budget spent"')
    .action(action(() => import('./commands/decide.js'), 'reject'));
  scope(program.command('attest').description("answer an item of a checklist gate of the open release as your git identity; recorded in the ledger and pushed"))
    .requiredOption('--checklist <id>', 'the checklist')
    .requiredOption('--item <id>', 'the item')
    .option('--no', 'answer no (the checklist is rejected)')
    .option('--evidence <url>', 'a link to the evidence')
    .addHelpText('after', '\nExamples:\n  relmgr attest --checklist readiness --item runbook --evidence https://wiki/runbook\n  relmgr attest --env production --checklist go-live --item backups --no --comment "no restore test"')
    .action(action(() => import('./commands/decide.js'), 'attest'));

  const ledger = program.command('ledger').description('the release ledger kept in git: sync it, print its events');
  ledger
    .command('sync')
    .description('fetch the ledger branch, merge it with the local one, and push')
    .action(action(() => import('./commands/ledger.js'), 'sync'));
  ledger
    .command('log')
    .description('print the ledger events, oldest first')
    .option('--release <version>', 'only this release')
    .action(action(() => import('./commands/ledger.js'), 'log'));

  // Schedules: release trains, code freezes, targets, freezes and windows in a calendar.
  program
    .command('calendar')
    .description('what is scheduled: train departures, code freezes, targets, freezes and deployment windows, in the calendar\'s zone and yours')
    .option('--from <date>', 'start of the range: YYYY-MM-DD, YYYY-MM-DDTHH:MM (calendars.timezone) or an RFC 3339 instant (default: now)')
    .option('--to <date>', 'end of the range, that day included (default: four weeks after --from; at most 366 days)')
    .option('--ics <file>', 'write an iCalendar file (Google Calendar, Outlook) with every item as an event')
    .addHelpText('after', '\nExamples:\n  relmgr calendar\n  relmgr calendar --from 2026-12-01 --to 2026-12-31 --json\n  relmgr calendar --to 2027-03-31 --ics releases.ics   # import it; importing again updates the events')
    .action(action(() => import('./commands/calendar.js')));

  // notifications (issue 11): relmgr notify
  program
    .command('notify')
    .description('send the notifications owed now: an overdue release, and events of the last 24 hours nobody announced (for a scheduled CI job)')
    .option('--dry-run', 'list what would be sent, send and record nothing')
    .addOption(new Option('--deliver <spool>', 'finish the deliveries a command handed off (started by relmgr itself)').hideHelp())
    .addHelpText('after', '\nExamples:\n  relmgr notify             # what is owed, sent once (claimed in the ledger first)\n  relmgr notify --dry-run   # what would be sent\n\nA delivery that fails is a warning and a notification.failed ledger event: the exit code stays 0.')
    .action(action(() => import('./commands/notify.js')));

  return program;
}
