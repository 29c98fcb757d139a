import { join } from 'node:path';
import type { Context } from '../context.js';
import type { Problem } from '../core/config/problems.js';
import { versionFilePath } from '../core/version-files.js';
import { expandWebhook, writtenWebhookProblem } from '../core/notify/webhook.js';
import { CONFIG_NAMES, readConfig, type LoadedConfig } from '../engine/config.js';
import { isRelmgrError, UsageError } from '../errors.js';
import { printJson } from '../ui/output.js';
import { formatProblems, workDir, type GlobalOptions } from '../engine/prepare.js';

/** `relmgr validate`: every problem at once; exit 0 when valid (warnings allowed), 2 when not. */
export async function run(ctx: Context, options: GlobalOptions): Promise<number> {
  const cwd = workDir(ctx, options);
  let root = cwd;
  try {
    root = (await (await ctx.git(cwd)).repoInfo()).root;
  } catch (error) {
    // Outside a repository the file can still be checked, from the working directory.
    if (!(isRelmgrError(error) && error.code === 'E_NOT_GIT_REPO')) throw error;
  }
  const loaded = await readConfig(ctx.fs, cwd, root, options.config);
  if (loaded.path === null) {
    throw new UsageError('E_CONFIG_MISSING', `no ${CONFIG_NAMES.join(' or ')} in ${root}`, { hint: 'create one with: relmgr init (or name a file with -c <file>)' });
  }
  loaded.problems.push(...(await missingVersionFiles(ctx, root, loaded)), ...expandedWebhooks(ctx, loaded));
  const errors = loaded.problems.filter((p) => p.severity === 'error').length;
  const warnings = loaded.problems.length - errors;
  if (options.json) {
    printJson(ctx.stdout, { file: loaded.shown, valid: errors === 0, errors, warnings, problems: loaded.problems });
  } else {
    for (const line of await formatProblems(loaded)) ctx.stderr.write(`${line}\n`);
    const summary = errors === 0 ? `${loaded.shown} is valid` : `${loaded.shown}: ${errors} error${errors === 1 ? '' : 's'}`;
    ctx.stderr.write(`${summary}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}\n`);
  }
  return errors === 0 ? 0 : 2;
}

/**
 * A `versioning.files` entry naming a file that is not in the repository validates, but `plan`
 * would refuse it: warned here, where the config is checked. (A missing default package.json is
 * skipped by `cut`, so it is not reported.)
 */
async function missingVersionFiles(ctx: Context, root: string, loaded: LoadedConfig): Promise<Problem[]> {
  const files = loaded.config?.versioning.files ?? [];
  const problems: Problem[] = [];
  for (const [index, spec] of files.entries()) {
    const path = versionFilePath(spec);
    if (spec === 'package.json' || (await ctx.fs.readText(join(root, path))) !== undefined) continue;
    const at = loaded.position?.(['versioning', 'files', index]) ?? { line: 1, col: 1 };
    problems.push({
      file: loaded.shown ?? CONFIG_NAMES[0],
      ...at,
      path: `versioning.files[${index}]`,
      severity: 'warning',
      message: `${path} is not in the repository: relmgr plan would refuse it (add the file, or remove the entry)`,
    });
  }
  return problems;
}

/**
 * Webhooks as they would be sent from here: a `${VAR}` that expands to something other than an
 * http(s) URL is an error (at the webhook), an unset one a warning (that target is skipped where it
 * is unset). The URL itself is never shown: it may be a secret.
 */
function expandedWebhooks(ctx: Context, loaded: LoadedConfig): Problem[] {
  const problems: Problem[] = [];
  (loaded.config?.notify ?? []).forEach((target, index) => {
    if (!('webhook' in target) || writtenWebhookProblem(target.webhook) !== null) return;
    const expanded = expandWebhook(target.webhook, ctx.env);
    if (expanded.ok) return;
    const at = loaded.position?.(['notify', index, 'webhook']) ?? { line: 1, col: 1 };
    const base = { file: loaded.shown ?? CONFIG_NAMES[0], ...at, path: `notify[${index}].webhook` };
    if ('missing' in expanded) problems.push({ ...base, severity: 'warning', message: `${expanded.missing.map((v) => `\${${v}}`).join(', ')} ${expanded.missing.length === 1 ? 'is' : 'are'} not set here: this target is skipped where ${expanded.missing.length === 1 ? 'it is' : 'they are'} unset` });
    else problems.push({ ...base, severity: 'error', message: `once expanded from the environment, ${expanded.invalid}` });
  });
  return problems;
}
