import { z } from 'zod';
import { approvalShorthand, check, email, gates, step, trackRequire } from './gate-schema.js';
import { clockTime, cron, duration, identifier, localDateTime, regex, semverString, tagTemplate, timeZone, weekday } from './values.js';

/*
 * The release config (release.config.yaml). One schema: the TypeScript types and the JSON Schema
 * (schema/release.config.schema.json) are derived from it. Unknown keys are errors everywhere —
 * a typo in a gate's name must never silently remove the gate.
 */

export const SCHEMA_ID = 'relmgr/v1';

const bumpLevel = z.enum(['major', 'minor', 'patch', 'none']);

const versionFile = z.union([
  z.string().min(1).describe('package.json (and package-lock.json), or a file that holds only the version'),
  z.strictObject({ path: z.string().min(1), regex: regex.describe('the version is the first match (or its group 1)') }),
  z.strictObject({ path: z.string().min(1), yaml: z.string().min(1).describe('dotted path of the version key, e.g. version or image.tag') }),
  z.strictObject({ path: z.string().min(1), json: z.string().min(1).describe('dotted path of the version key') }),
  z.strictObject({ path: z.string().min(1), toml: z.string().min(1).describe('dotted path, e.g. package.version') }),
]);

const branch = z.union([
  z.string().min(1),
  z.strictObject({ name: z.string().min(1), prerelease: identifier.optional().describe('cut pre-releases with this id from this branch') }),
]);

const versioning = z
  .strictObject({
    tag: tagTemplate.default('v{version}').describe('release tag names; must contain {version}'),
    branches: z.array(branch).min(1).default(['main', 'master']).describe('branches normal releases may be cut from'),
    initial: semverString.default('0.1.0').describe('the first version, when no release tag exists'),
    types: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), bumpLevel).default({}).describe('remap a commit type to a bump, e.g. { docs: patch }'),
    initialDevelopment: z
      .strictObject({
        breaking: z.enum(['minor', 'major']).default('minor').describe('what a breaking change bumps in 0.x (major: leave 0.x on the first one)'),
        feature: z.enum(['minor', 'patch']).default('minor').describe("what a feature bumps in 0.x (patch: standard-version's preMajor practice)"),
      })
      .default({ breaking: 'minor', feature: 'minor' })
      .describe('the 0.x rules: while the major version is 0'),
    files: z.array(versionFile).default(['package.json']).describe('files whose version `cut` rewrites'),
  })
  .default({ tag: 'v{version}', branches: ['main', 'master'], initial: '0.1.0', types: {}, initialDevelopment: { breaking: 'minor', feature: 'minor' }, files: ['package.json'] });

const changelog = z
  .strictObject({
    file: z.string().min(1).default('CHANGELOG.md').describe('where `changelog --write` and `cut` insert sections'),
    template: z.string().min(1).optional().describe('a Handlebars template for one section (default: the built-in one)'),
    urls: z
      .strictObject({
        commit: z.string().describe('e.g. https://git.example.com/app/commit/{hash}'),
        issue: z.string().describe('e.g. https://tracker.example.com/browse/{issue}'),
        compare: z.string().describe('e.g. https://git.example.com/app/compare/{from}...{to}'),
      })
      .partial()
      .optional()
      .describe('link formats, when the remote URL does not give the right ones'),
  })
  .default({ file: 'CHANGELOG.md' });

const install = z
  .strictObject({
    commands: z.array(z.string()).default([]).describe('shown in the install instructions; {version} is replaced'),
    template: z.string().min(1).optional().describe('a Handlebars template for install.md'),
  })
  .default({ commands: [] });

const notes = z
  .strictObject({
    dir: z.string().min(1).default('.relmgr/releases/{version}').describe('where `cut` writes release-notes.md and install.md'),
    template: z.string().min(1).optional().describe('a Handlebars template for release-notes.md'),
  })
  .default({ dir: '.relmgr/releases/{version}' });

const freeze = z.union([
  z.strictObject({ from: localDateTime.describe('start, in the calendar time zone'), to: localDateTime.describe('end, in the calendar time zone') }),
  z.strictObject({ start: cron.describe('when each freeze begins'), end: cron.describe('when each freeze ends') }),
]);

const window = z.strictObject({
  days: z.array(weekday).min(1).describe('mon … sun'),
  from: clockTime,
  to: clockTime,
  timezone: timeZone.optional().describe('overrides calendars.timezone'),
});

const calendars = z
  .strictObject({
    timezone: timeZone.default('UTC').describe('IANA time zone for freezes and windows'),
    freezes: z.record(identifier, freeze).default({}).describe('one-off ranges (from/to) or recurring cron pairs (start/end)'),
    windows: z.record(identifier, window).default({}).describe('when deployments may happen'),
  })
  .default({ timezone: 'UTC', freezes: {}, windows: {} });

const train = z.strictObject({
  cron: cron.describe('when each train departs (its target), in calendars.timezone; e.g. "0 10 * * TUE" for Tuesdays 10:00'),
  code_freeze: duration.optional().describe('a code freeze this long before each train (e.g. 2d): shown by status and calendar, and usable in a freeze gate as <train>-code-freeze'),
});

const schedule = z
  .strictObject({
    trains: z.record(identifier, train).default({}).describe('release trains: a normal release planned without --target aims at the next train'),
  })
  .default({ trains: {} })
  .describe('release trains and their code freezes');

/** What a notification can announce. */
export const NOTIFY_EVENTS = ['planned', 'gate_pending', 'approved', 'rejected', 'deployed', 'deploy_failed', 'rolled_back', 'closed', 'overdue'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

const notifyCommon = {
  on: z.array(z.enum(NOTIFY_EVENTS)).min(1).describe('the events to announce'),
  environments: z.array(identifier).optional().describe('only events in these environments (release-wide events — planned, closed, overdue — always pass)'),
};

const notifyTarget = z.union([
  z.strictObject({
    webhook: z.string().min(1).describe('an http(s) URL; ${VAR} takes it (or part of it) from the environment, and it is masked in every output'),
    format: z.enum(['json', 'slack', 'teams']).default('json').describe('json: the event as JSON; slack: an incoming-webhook message; teams: a Teams message card'),
    ...notifyCommon,
  }),
  z.strictObject({
    run: z.string().min(1).describe('a command, run through the shell with the event as JSON on stdin and RELMGR_NOTIFY_* variables'),
    timeout: duration.default('30s').describe('the command is stopped after this long'),
    ...notifyCommon,
  }),
]);

const phase = z.strictObject({
  entry: gates.optional().describe('gates before any step'),
  steps: z.array(step).optional(),
  exit: gates.optional().describe('gates after the steps'),
});

const phases = z
  .strictObject({
    plan: phase.optional(),
    build: phase.optional(),
    test: phase.optional(),
    deploy: z
      .strictObject({
        order: z.array(identifier).default([]).describe('promotion order: each environment requires the one before it'),
        entry: gates.optional(),
        exit: gates.optional(),
      })
      .optional(),
    monitor: phase.optional(),
    feedback: phase.optional(),
  })
  .default({});

const environment = z.strictObject({
  tier: z.enum(['development', 'testing', 'staging', 'production']).optional().describe('production-tier environments get extra protection'),
  entry: gates.optional(),
  deploy: z.array(step).optional(),
  exit: gates.optional(),
  on_failure: z.enum(['fail', 'rollback']).default('fail').describe('what a failed deploy step does'),
  rollback: z.array(step).optional().describe('steps that restore the previous release (its version is in $RELMGR_PREVIOUS_VERSION)'),
});

const tracks = z
  .strictObject({
    emergency: z
      .strictObject({
        require: trackRequire.optional().describe('what `plan --track emergency` must be given'),
        skip: z.array(z.string().min(1)).default([]).describe('gates this track may skip: <env>.<entry|exit>[.<gate>] or <phase>.<entry|exit>[.<gate>]'),
        override_freezes: z.array(identifier).default([]).describe('freezes this track may pass through (recorded)'),
        approval: approvalShorthand.optional(),
        prerelease: identifier.optional(),
      })
      .optional(),
  })
  .default({});

const redact = z
  .strictObject({
    env: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'))
      .default([])
      .describe('more environment variables whose values are secrets, masked in every output (names like *TOKEN*, *SECRET*, *KEY* … are masked anyway)'),
  })
  .default({ env: [] })
  .describe('secret masking');

const audit = z
  .strictObject({
    ledger: z
      .strictObject({
        branch: z.string().min(1).default('relmgr/ledger').describe('the orphan branch that holds the events'),
        remote: z.string().min(1).optional().describe('default: origin, when it exists'),
        push: z.enum(['auto', 'always', 'never']).default('auto').describe('never keeps the ledger local'),
      })
      .default({ branch: 'relmgr/ledger', push: 'auto' }),
  })
  .default({ ledger: { branch: 'relmgr/ledger', push: 'auto' } });

const network = z
  .strictObject({
    timeout: duration.default('60s').describe('how long git may wait on a remote (fetch, ls-remote, push) before relmgr stops it and fails; RELMGR_NETWORK_TIMEOUT overrides it'),
    read_timeout: duration.default('5s').describe('read-only commands (status, notes, ledger log) wait this long, then go on with the local ledger'),
  })
  .default({ timeout: '60s', read_timeout: '5s' });

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe('for editors: the JSON Schema of this file'),
    schema: z.literal(SCHEMA_ID).default(SCHEMA_ID).describe('the file format version'),
    project: z.string().min(1).optional().describe("the project's name (default: package.json's name, else the folder)"),
    versioning,
    changelog,
    install,
    notes,
    groups: z.record(identifier, z.array(email).min(1)).default({}).describe('named lists of people (emails), used by approvals and checklists'),
    calendars,
    schedule,
    notify: z.array(notifyTarget).default([]).describe('who hears about the release: webhooks and commands, each on the events it names'),
    checks: z.record(identifier, check).default({}),
    phases,
    environments: z.record(identifier, environment).default({}),
    tracks,
    audit,
    network,
    redact,
  })
  .describe('relmgr release config (release.config.yaml)');

/** The file as written (defaults optional). */
export type ConfigInput = z.input<typeof configSchema>;
/** The file with every default filled in. */
export type Config = z.output<typeof configSchema>;
export type Gate = z.output<typeof gates>[number];
export type Step = z.output<typeof step>;
export type NotifyTarget = z.output<typeof notifyTarget>;
export type Train = z.output<typeof train>;
