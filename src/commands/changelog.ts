import { resolve } from 'node:path';
import type { Context } from '../context.js';
import { upsertChangelogSection } from '../core/changelog-file.js';
import type { ReleaseModel } from '../core/model.js';
import { changelogRenderer } from '../core/notes.js';
import { allModels, rangeModel, unreleasedModel, type ChangelogEnv } from '../engine/changelog.js';
import { links, projectName } from '../engine/project.js';
import { withUrlFormats } from '../core/remote.js';
import { loadTemplate, withTemplate } from '../engine/templates.js';
import { UsageError } from '../errors.js';
import { printJson } from '../ui/output.js';
import { parseTrack, prepare, type GlobalOptions } from '../engine/prepare.js';

export interface ChangelogCommandOptions extends GlobalOptions {
  from?: string;
  to?: string;
  all?: boolean;
  write?: string | boolean;
  template?: string;
  pre?: string;
  releaseAs?: string;
  track?: string;
}

export async function run(ctx: Context, options: ChangelogCommandOptions): Promise<number> {
  if (options.all && (options.from !== undefined || options.to !== undefined)) {
    throw new UsageError('E_USAGE', '--all cannot be combined with --from/--to', { hint: 'use either relmgr changelog --all or relmgr changelog --from <ref> --to <ref>' });
  }
  const { cwd, git, info, settings } = await prepare(ctx, options);
  const templatePath = options.template ?? settings.changelog.template;
  // Read the template before any history, so a broken one fails fast.
  const template = await loadTemplate(ctx.fs, templatePath ?? null, options.template ? cwd : info.root, 'changelog.md.hbs');
  const env: ChangelogEnv = {
    git,
    info,
    settings,
    clock: ctx.clock,
    project: await projectName(ctx.fs, info.root, settings.project),
    links: withUrlFormats(await links(git), settings.changelog.urls),
  };

  // Compile before reading any history, so a broken template fails fast.
  const render = withTemplate(template, () => changelogRenderer(template.source, { issueUrl: env.links?.issueUrl ?? null }));

  let models: ReleaseModel[];
  let stale: ((key: string) => boolean) | undefined;
  if (options.all) {
    models = await allModels(env);
    if (models.length === 0) ctx.stderr.write('no release tags reachable from HEAD: the changelog is empty\n');
  } else if (options.from !== undefined || options.to !== undefined) {
    models = [await rangeModel(env, options.from, options.to)];
  } else {
    const track = parseTrack(options.track);
    const unreleased = await unreleasedModel(env, { fs: ctx.fs, pre: options.pre, releaseAs: options.releaseAs, track });
    const { model, message } = unreleased;
    stale = unreleased.stale;
    for (const warning of unreleased.warnings) ctx.stderr.write(`warning: ${warning}\n`);
    if (model === null) ctx.stderr.write(`${message ?? 'nothing to release'}\n`);
    models = model ? [model] : [];
  }

  const sections = withTemplate(template, () => models.map((model) => ({ model, text: render(model) })));

  if (options.write !== undefined && options.write !== false) {
    const target = typeof options.write === 'string' ? resolve(cwd, options.write) : resolve(info.root, settings.changelog.file);
    if (sections.length === 0) return 0;
    let text = await ctx.fs.readText(target);
    for (const section of [...sections].reverse()) text = upsertChangelogSection(text, section.text, section.model.title, stale);
    await ctx.fs.writeTextAtomic(target, text as string);
    const names = sections.map((s) => s.model.title).join(', ');
    ctx.stderr.write(`wrote ${names} to ${target}\n`);
    return 0;
  }
  if (options.json) {
    printJson(ctx.stdout, options.all ? models : (models[0] ?? null));
    return 0;
  }
  ctx.stdout.write(sections.map((s) => s.text).join('\n'));
  return 0;
}
