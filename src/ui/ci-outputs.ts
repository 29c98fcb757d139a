import type { Context } from '../context.js';

export type Outputs = Record<string, string>;

function lines(outputs: Outputs): string {
  return Object.entries(outputs)
    .map(([key, value]) => `${key}=${value.replace(/[\r\n]+/g, ' ')}\n`)
    .join('');
}

/**
 * Publishes a command's key results for the CI job's next steps: `$GITHUB_OUTPUT` (GitHub
 * Actions), and `KEY=value` lines in a dotenv file (GitLab's `artifacts:reports:dotenv`).
 */
export async function writeCiOutputs(ctx: Pick<Context, 'env' | 'appendText'>, outputs: Outputs, options: { dotenv?: string | undefined; summary?: string }): Promise<void> {
  const github = ctx.env.GITHUB_OUTPUT;
  if (github) await ctx.appendText(github, lines(outputs));
  const summary = ctx.env.GITHUB_STEP_SUMMARY;
  if (summary && options.summary) await ctx.appendText(summary, `${options.summary.trim()}\n`);
  if (options.dotenv) {
    const upper: Outputs = {};
    for (const [key, value] of Object.entries(outputs)) upper[`RELMGR_${key.toUpperCase()}`] = value;
    await ctx.appendText(options.dotenv, lines(upper));
  }
}
