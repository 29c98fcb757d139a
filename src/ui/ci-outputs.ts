import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Context } from '../context.js';

export type Outputs = Record<string, string>;

/**
 * The five keys every release command publishes, whatever happened: a CI job branches on them.
 * `released` is true when this run produced or moved a release on (a version is due, a release was
 * planned, a phase succeeded); false when there was nothing to do, the run was a dry run, a gate
 * held it or the open release failed. `environment` is empty outside a deploy.
 */
export interface ReleaseOutputs {
  version: string;
  tag: string;
  state: string;
  environment?: string | null;
  released: boolean;
}

/** The five keys first, in a fixed order, then a command's own (plan's `phase`, `next`; next's `bump`). */
export function releaseOutputs(o: ReleaseOutputs, extra: Outputs = {}): Outputs {
  return { version: o.version, tag: o.tag, state: o.state, environment: o.environment ?? '', released: String(o.released), ...extra };
}

export interface CiOutputOptions {
  /** `--dotenv <file>`, relative to the working directory. */
  dotenv?: string | undefined;
  /** The command that produced them (`relmgr cut`), for the step summary's heading. */
  command?: string;
  /** What to run next, for the step summary. */
  next?: string;
  /** A summary of its own instead of the table. */
  summary?: string;
}

/**
 * `key=value`, or GitHub's delimiter form when the value spans lines: `key<<ghadelimiter_<random>`,
 * the value, the delimiter. The delimiter is random, so no value can end the block early.
 */
export function githubLines(outputs: Outputs, random: () => string = () => randomBytes(12).toString('hex')): string {
  return Object.entries(outputs)
    .map(([key, value]) => {
      if (!/[\r\n]/.test(value)) return `${key}=${value}\n`;
      const delimiter = `ghadelimiter_${random()}`;
      return `${key}<<${delimiter}\n${value.replace(/\r\n?/g, '\n')}\n${delimiter}\n`;
    })
    .join('');
}

/**
 * `RELMGR_KEY=value`, one line each, for GitLab's `artifacts:reports:dotenv` and Jenkins'
 * `readProperties`: GitLab keeps no multi-line value, quotes or escapes (a value is taken as it
 * stands), Java properties read a backslash as an escape — so line breaks become spaces and a
 * backslash becomes a slash (relmgr's values never need one).
 */
export function dotenvLines(outputs: Outputs): string {
  return Object.entries(outputs)
    .map(([key, value]) => `RELMGR_${key.toUpperCase()}=${value.replace(/[\r\n]+/g, ' ').replace(/\\/g, '/').trim()}\n`)
    .join('');
}

/**
 * Azure Pipelines' `task.setvariable` logging commands, as output variables (`isOutput=true`) of the
 * step, named as on GitHub. The agent parses logging commands from both streams of a step, so they
 * go to stderr: stdout stays the command's data (`next` prints the version alone, `--json` one
 * document). A value's `%`, CR and LF are escaped the way the agent unescapes them.
 */
export function azureLines(outputs: Outputs): string {
  const escape = (value: string) => value.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return Object.entries(outputs)
    .map(([key, value]) => `##vso[task.setvariable variable=${key};isOutput=true]${escape(value)}\n`)
    .join('');
}

/** A short markdown table for `$GITHUB_STEP_SUMMARY`: version, state, environment, next command. */
export function summaryTable(outputs: Outputs, options: Pick<CiOutputOptions, 'command' | 'next'>): string {
  const cell = (value: string | undefined) => (value ? value.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ') : '—');
  const rows = [
    ['version', outputs.version && outputs.tag ? `${outputs.version} (tag ${outputs.tag})` : outputs.version],
    ['state', outputs.state],
    ['environment', outputs.environment],
    ['next', options.next],
  ];
  return [`### ${options.command ?? 'relmgr'}`, '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`), ''].join('\n');
}

/** `TF_BUILD=True`: running in an Azure Pipelines job. */
export const inAzurePipelines = (env: Context['env']): boolean => env.TF_BUILD?.toLowerCase() === 'true';

/**
 * Publishes a command's key results for the CI job's next steps: `$GITHUB_OUTPUT` and a summary in
 * `$GITHUB_STEP_SUMMARY` (GitHub Actions), output variables (Azure Pipelines, `TF_BUILD=True`), and
 * `RELMGR_KEY=value` lines in a dotenv file (`--dotenv`: GitLab's dotenv reports, Jenkins'
 * readProperties). The one place CI outputs are written.
 */
export async function writeCiOutputs(ctx: Pick<Context, 'env' | 'appendText' | 'cwd' | 'stderr'>, outputs: Outputs, options: CiOutputOptions = {}): Promise<void> {
  const github = ctx.env.GITHUB_OUTPUT;
  if (github) await ctx.appendText(github, githubLines(outputs));
  const summary = ctx.env.GITHUB_STEP_SUMMARY;
  if (summary) await ctx.appendText(summary, `${(options.summary ?? summaryTable(outputs, options)).trim()}\n\n`);
  if (inAzurePipelines(ctx.env)) ctx.stderr.write(azureLines(outputs));
  if (options.dotenv) await ctx.appendText(resolve(ctx.cwd, options.dotenv), dotenvLines(outputs));
}
