import { join, relative } from 'node:path';
import type { Context } from '../context.js';
import { PLACEHOLDER_APPROVER, renderInitialConfig, type InitAnswers } from '../core/config/initial.js';
import { IDENTITY_EMAIL } from '../core/config/values.js';
import { parseConfig } from '../core/config/load.js';
import { formatProblem } from '../core/config/problems.js';
import { SCHEMA_FILE } from '../core/config/json-schema.js';
import { detectTagFormat, DEFAULT_TAG_TEMPLATE } from '../core/tags.js';
import type { VersionFileSpec } from '../core/version-files.js';
import { PROJECT_VERSION_FILES, projectFileSpec } from '../core/version-sources.js';
import { CONFIG_NAMES } from '../engine/config.js';
import { projectName } from '../engine/project.js';
import { PreconditionError, UsageError } from '../errors.js';
import { isInteractive } from '../ui/interactive.js';
import { packageRoot } from '../paths.js';
import { workDir, type GlobalOptions } from '../engine/prepare.js';

export interface InitOptions extends GlobalOptions {
  yes?: boolean;
  nonInteractive?: boolean;
  force?: boolean;
}

const splitList = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

/** `relmgr init`: a release.config.yaml that validates, from questions or from defaults. */
export async function run(ctx: Context, options: InitOptions): Promise<number> {
  const cwd = workDir(ctx, options);
  const git = await ctx.git(cwd);
  const info = await git.repoInfo();
  const target = options.config ? join(cwd, options.config) : join(info.root, CONFIG_NAMES[0]);
  const shown = relative(cwd, target) || target;
  const existing = options.config ? [target] : CONFIG_NAMES.map((name) => join(info.root, name));
  let present: string | undefined;
  for (const path of existing) if (present === undefined && (await ctx.fs.readText(path)) !== undefined) present = path;
  if (present && !options.force) {
    throw new PreconditionError('E_CONFIG_EXISTS', `${relative(cwd, present) || present} already exists: nothing was written`, {
      hint: 'check it with: relmgr validate (or overwrite it with: relmgr init --force)',
    });
  }

  const schemaPath = relative(join(target, '..'), join(packageRoot, SCHEMA_FILE)).split('\\').join('/');
  // Whatever git accepts as an identity will do (ci@localhost); without one, a marked placeholder.
  const configured = (await git.configValue('user.email'))?.trim();
  const email = configured && IDENTITY_EMAIL.test(configured) ? configured : undefined;
  // Adopt the format the existing release tags use (1.2.3, app-v1.2.3), so they stay the releases.
  const existingTags = info.head === null ? null : detectTagFormat((await git.tags()).map((tag) => tag.name));
  const defaults: InitAnswers = {
    project: await projectName(ctx.fs, info.root, null),
    tag: existingTags?.template ?? DEFAULT_TAG_TEMPLATE,
    branch: (await git.currentBranch()) ?? 'main',
    environments: ['staging', 'production'],
    productionApproval: true,
    approvers: [email ?? PLACEHOLDER_APPROVER],
    schemaRef: schemaPath.startsWith('.') ? schemaPath : `./${schemaPath}`,
    node: (await ctx.fs.readText(join(info.root, 'package.json'))) !== undefined,
    versionFiles: await foundVersionFiles(ctx, info.root),
  };
  const answers = isInteractive(ctx, options) ? await ask(ctx, defaults) : defaults;

  const text = renderInitialConfig(answers);
  const { problems } = parseConfig(text, shown);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    throw new UsageError('E_INIT_INVALID', 'the answers make a config that does not validate: nothing was written', {
      details: errors.map(formatProblem),
      hint: 'run relmgr init again with other answers',
    });
  }
  await ctx.fs.writeTextAtomic(target, text);
  if (existingTags !== null && answers.tag === existingTags.template) {
    ctx.stderr.write(`versioning.tag: ${answers.tag}, the format of the existing release tags (e.g. ${existingTags.example})\n`);
  }
  for (const warning of problems) ctx.stderr.write(`${formatProblem(warning)}\n`);
  if (answers.productionApproval && answers.approvers.includes(PLACEHOLDER_APPROVER)) {
    ctx.stderr.write(
      `note: git has no usable user.email here, so groups.release-managers in ${shown} lists the placeholder ${PLACEHOLDER_APPROVER}: replace it with the people who approve production deploys\n`,
    );
  }
  ctx.stderr.write(`wrote ${shown}\nnext: edit the deploy steps, then run: relmgr validate && relmgr next\n`);
  return 0;
}

/** The version files that exist and hold a version: package.json, Cargo.toml, pyproject.toml, VERSION. */
async function foundVersionFiles(ctx: Context, root: string): Promise<VersionFileSpec[]> {
  const found: VersionFileSpec[] = [];
  for (const path of PROJECT_VERSION_FILES) {
    const text = await ctx.fs.readText(join(root, path));
    const spec = text === undefined ? null : projectFileSpec(path, text);
    if (spec !== null) found.push(spec);
  }
  return found;
}

async function ask(ctx: Context, defaults: InitAnswers): Promise<InitAnswers> {
  const prompt = ctx.prompts('relmgr init');
  const project = await prompt.text('Project name', defaults.project, (v) => (v.trim() ? true : 'a name is needed'));
  const tag = await prompt.text('Release tag format', defaults.tag, (v) => (v.includes('{version}') ? true : 'the format must contain {version}'));
  const envs = await prompt.text('Environments, in promotion order (comma-separated, empty for none)', defaults.environments.join(', '), (v) =>
    splitList(v).every((name) => /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) ? true : 'use letters, digits, ".", "_" and "-" in names',
  );
  const environments = splitList(envs);
  let productionApproval = false;
  let approvers: string[] = [];
  if (environments.some((name) => /^(prod|production|live)$/i.test(name))) {
    productionApproval = await prompt.confirm('Does production need an approval before each deploy?', true);
    if (productionApproval) {
      const list = await prompt.text('Who may approve? (emails, comma-separated)', defaults.approvers.join(', '), (v) =>
        splitList(v).length > 0 && splitList(v).every((e) => IDENTITY_EMAIL.test(e)) ? true : 'give one or more email addresses',
      );
      approvers = splitList(list);
    }
  }
  return { ...defaults, project: project.trim(), tag: tag.trim(), environments, productionApproval, approvers };
}
