import Handlebars from 'handlebars';
import type { ReleaseModel } from './model.js';
import { linkIssuesInText } from './references.js';
import { sanitizeTerminalText } from './terminal-text.js';

/** A template that does not parse or render; `line`/`column` are 1-based when known. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

export interface RenderOptions {
  /** Builds an issue link for `{{linkIssues subject}}`; null when the repository has no host. */
  issueUrl: ((issue: string) => string) | null;
}

function locate(error: unknown): TemplateError {
  const e = error as { message?: string; lineNumber?: number; column?: number };
  const message = String(e.message ?? error);
  const fromText = /on line (\d+)/.exec(message);
  const line = e.lineNumber ?? (fromText ? Number(fromText[1]) : undefined);
  const column = e.column !== undefined ? e.column + 1 : undefined;
  const firstLine = message.split('\n')[0] ?? message;
  const detail = message.includes('\n') ? message.split('\n').slice(-1)[0] : undefined;
  return new TemplateError(detail && detail !== firstLine ? `${firstLine} ${detail}` : firstLine, line, column);
}

/**
 * Compiles a Handlebars template once; the result renders any number of models. Templates are
 * logic-less and run in an isolated Handlebars environment; values from commits are data and are
 * never compiled as templates. Output is markdown, so HTML escaping is off (it would mangle `<T>`
 * inside code spans). Terminal control characters are removed from the output.
 */
export function compileTemplate(source: string, options: RenderOptions): (model: unknown) => string {
  const hb = Handlebars.create();
  hb.registerHelper('linkIssues', (text: unknown) => linkIssuesInText(String(text ?? ''), options.issueUrl));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  let template: HandlebarsTemplateDelegate;
  try {
    template = hb.compile(hb.parse(source), { noEscape: true, strict: false });
  } catch (error) {
    throw locate(error);
  }
  return (model) => {
    try {
      // Commit messages may carry terminal controls; a document never does.
      return sanitizeTerminalText(template(model, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false }));
    } catch (error) {
      throw locate(error);
    }
  };
}

export function renderTemplate(source: string, model: unknown, options: RenderOptions): string {
  return compileTemplate(source, options)(model);
}

/** Normalises a rendered section: no trailing blank lines, no runs of 3+ newlines, one final newline. */
export function tidyMarkdown(text: string): string {
  return `${text.replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

export function renderChangelogSection(source: string, model: ReleaseModel, options: RenderOptions): string {
  return tidyMarkdown(renderTemplate(source, model, options));
}

/** One compiled changelog template for many sections (`changelog --all` renders hundreds). */
export function changelogRenderer(source: string, options: RenderOptions): (model: ReleaseModel) => string {
  const render = compileTemplate(source, options);
  return (model) => tidyMarkdown(render(model));
}
