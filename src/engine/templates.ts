import { isAbsolute, join, relative, resolve } from 'node:path';
import type { FsPort } from '../adapters/fs.js';
import { TemplateError } from '../core/notes.js';
import { UsageError } from '../errors.js';
import { packageRoot } from '../paths.js';

export interface LoadedTemplate {
  /** The path shown in messages. */
  path: string;
  source: string;
}

/** Reads a template: a user's (relative to `base`) or one of the defaults shipped in templates/. */
export async function loadTemplate(fs: FsPort, userPath: string | null, base: string, defaultName: string): Promise<LoadedTemplate> {
  const path = userPath === null ? join(packageRoot, 'templates', defaultName) : resolve(base, userPath);
  const source = await fs.readText(path);
  if (source === undefined) {
    throw new UsageError('E_TEMPLATE_MISSING', `template ${userPath ?? path} does not exist`, {
      hint: userPath === null ? 'reinstall relmgr: its default templates are missing' : 'check the path given with --template or in the config',
    });
  }
  const shown = isAbsolute(userPath ?? '') || userPath === null ? path : relative(base, path) || path;
  return { path: shown, source };
}

/** Runs a render and turns template errors into `file:line:col` usage errors. */
export function withTemplate<T>(template: LoadedTemplate, render: () => T): T {
  try {
    return render();
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    const where = [template.path, error.line, error.column].filter((p) => p !== undefined).join(':');
    throw new UsageError('E_TEMPLATE', `${where}: template error: ${error.message}`, {
      hint: 'fix the template (Handlebars syntax: https://handlebarsjs.com/guide/) and run the command again',
    });
  }
}
