import { z } from 'zod';
import { duration, email, identifier, regex } from './values.js';

/** Who: group names from `groups`, or email addresses. */
export const principals = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .describe('group names (from `groups`) or email addresses')
  .meta({ id: 'principals' });

export const step = z
  .strictObject({
    name: z.string().min(1).optional().describe('a label for progress and logs (default: the command)'),
    run: z.string().min(1).describe('a shell command, run from the repository root (or `cwd`)'),
    timeout: duration.optional().describe('kill the whole process tree after this long (default 30m)'),
    retries: z.number().int().min(0).max(10).default(0).describe('extra attempts after a failure'),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional().describe('extra environment variables'),
    cwd: z.string().min(1).optional().describe('working directory, relative to the repository root'),
    idempotent: z.boolean().default(false).describe('safe to rerun after an interruption (otherwise `resume` asks: --rerun or --assume-done)'),
  })
  .describe('a shell step')
  .meta({ id: 'step' });

export const check = z
  .strictObject({
    run: z.string().min(1).describe('a command that must exit 0'),
    timeout: duration.optional().describe('kill it after this long (default 5m)'),
    retries: z.number().int().min(0).max(100).default(0).describe('extra attempts after a failure'),
    interval: duration.optional().describe('time between attempts'),
    stable_for: duration.optional().describe('the check must keep passing for this long'),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().min(1).optional(),
  })
  .describe('a named health check, referenced by `check: <name>` gates')
  .meta({ id: 'check' });

const approvalRule = z.strictObject({
  from: principals,
  min: z.number().int().min(1).default(1).describe('approvals needed from these people'),
});

export const approvalGate = z
  .strictObject({
    id: identifier.default('approval').describe('names the gate for `relmgr approve --gate` and `skip`'),
    rules: z.array(approvalRule).min(1).describe('every rule must be met'),
    allow_self: z.boolean().default(false).describe("may the release's initiator approve it?"),
    allow_change: z.boolean().default(false).describe('may a person who rejected approve later (and the other way round)? The latest decision counts'),
    timeout: duration.default('72h').describe('give up (exit 12) after this long'),
  })
  .describe('human approvals: every rule needs `min` approvals from distinct eligible people');

export const checklistGate = z
  .strictObject({
    id: identifier.describe('names the checklist for `relmgr attest --checklist`'),
    who: principals.describe('who may attest the items'),
    items: z
      .array(
        z.strictObject({
          id: identifier,
          text: z.string().min(1),
          required: z.boolean().default(true),
        }),
      )
      .min(1),
  })
  .describe('items that eligible people attest');

const names = z.union([identifier, z.array(identifier).min(1)]);

/** A gate is an object with exactly one of these keys. */
export const gate = z
  .strictObject({
    approval: approvalGate,
    checklist: checklistGate,
    check: identifier.describe('the name of a check under `checks`'),
    window: names.describe('deploy only inside this window (names under `calendars.windows`)'),
    freeze: names.describe('hold while any of these freezes is active (names under `calendars.freezes`)'),
    wait: duration.describe('hold until this long after the gate first opened'),
  })
  .partial()
  .refine((value) => Object.keys(value).length === 1, {
    message: 'a gate has exactly one kind: approval, checklist, check, window, freeze or wait',
  })
  .meta({ minProperties: 1, maxProperties: 1 })
  .describe('a condition at a phase or environment boundary')
  .meta({ id: 'gate' });

export const gates = z.array(gate);

export const approvalShorthand = z
  .strictObject({ from: principals, min: z.number().int().min(1).default(1) })
  .describe('an extra approval the track requires');

export const trackRequire = z.strictObject({
  reason: z.boolean().default(true).describe('`--reason` is required (the default: an emergency says why; false turns it off)'),
  incident: regex.optional().describe('`--incident` is required and must match this regular expression'),
});

export { email };
