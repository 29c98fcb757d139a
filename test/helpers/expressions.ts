/*
 * GitHub Actions' expression language, as much of it as the example workflows use: literals
 * ('text', numbers, true, false, null), property paths (steps.<id>.outputs.<name>,
 * needs.<job>.outputs.<name>, needs.<job>.result, github.<name>), ! == != && || and parentheses,
 * and the functions success(), failure(), always(), cancelled(), contains(), startsWith().
 * Semantics as GitHub documents them: && and || return one of their operands; == compares strings
 * case-insensitively and values of different types as numbers; a missing property is null.
 * Anything else throws, so a workflow that needs more makes its test fail loudly.
 */

export type Value = string | number | boolean | null;

export interface ExpressionScope {
  /** Resolves a property path (`steps.plan.outputs.state` → ['steps', 'plan', 'outputs', 'state']); undefined for an unknown context. */
  lookup(path: string[]): Value | undefined;
  /** success()/failure(): for a step, whether an earlier step failed; for a job, whether every job it needs succeeded / one of them failed. */
  status: { success: boolean; failure: boolean };
}

const TOKEN = /\s*(?:('(?:[^']|'')*')|(-?\d+(?:\.\d+)?)|(==|!=|&&|\|\||[!(),])|([A-Za-z_][\w-]*(?:\.[\w-]+|\[[^\]]*\])*))/y;

type Token = { kind: 'string' | 'number' | 'op' | 'name'; text: string };

function tokens(expression: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(expression);
    if (!m) throw new Error(`the workflow test cannot read the expression ${expression} at ${expression.slice(at)}`);
    if (m[1] !== undefined) out.push({ kind: 'string', text: m[1].slice(1, -1).replaceAll("''", "'") });
    else if (m[2] !== undefined) out.push({ kind: 'number', text: m[2] });
    else if (m[3] !== undefined) out.push({ kind: 'op', text: m[3] });
    else out.push({ kind: 'name', text: m[4] ?? '' });
  }
  return out;
}

export const truthy = (v: Value): boolean => !(v === false || v === null || v === '' || v === 0 || Number.isNaN(v));

const toNumber = (v: Value): number => (v === null ? 0 : typeof v === 'boolean' ? Number(v) : typeof v === 'number' ? v : v.trim() === '' ? 0 : Number(v));

function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b) return a === b;
  return toNumber(a) === toNumber(b);
}

/** A value as `${{ … }}` puts it into text: null is empty, booleans are true/false. */
export const text = (v: Value): string => (v === null ? '' : String(v));

export function evaluateExpression(expression: string, scope: ExpressionScope): Value {
  const list = tokens(expression);
  let i = 0;
  const peek = (): Token | undefined => list[i];
  const take = (op?: string): Token => {
    const t = list[i];
    if (!t || (op !== undefined && t.text !== op)) throw new Error(`the workflow test cannot read the expression ${expression}: expected ${op ?? 'more'}`);
    i += 1;
    return t;
  };
  const call = (name: string, args: Value[]): Value => {
    const s = (v: Value | undefined) => text(v ?? null).toLowerCase();
    switch (name) {
      case 'success':
        return scope.status.success;
      case 'failure':
        return scope.status.failure;
      case 'always':
        return true;
      case 'cancelled':
        return false;
      case 'contains':
        return s(args[0]).includes(s(args[1]));
      case 'startsWith':
        return s(args[0]).startsWith(s(args[1]));
      default:
        throw new Error(`the workflow test does not know the function ${name}()`);
    }
  };
  const primary = (): Value => {
    const t = take();
    if (t.kind === 'string') return t.text;
    if (t.kind === 'number') return Number(t.text);
    if (t.text === '!') return !truthy(primary());
    if (t.text === '(') {
      const v = or();
      take(')');
      return v;
    }
    if (t.kind !== 'name') throw new Error(`the workflow test cannot read the expression ${expression} at ${t.text}`);
    if (t.text === 'true' || t.text === 'false') return t.text === 'true';
    if (t.text === 'null') return null;
    if (peek()?.text === '(') {
      take('(');
      const args: Value[] = [];
      while (peek()?.text !== ')') {
        args.push(or());
        if (peek()?.text === ',') take(',');
      }
      take(')');
      return call(t.text, args);
    }
    const path = t.text.split(/\.|\[|\]/).filter(Boolean).map((p) => p.replace(/^'(.*)'$/, '$1'));
    const found = scope.lookup(path);
    if (found === undefined) throw new Error(`the workflow test does not know the expression ${t.text}`);
    return found;
  };
  const comparison = (): Value => {
    let left = primary();
    while (peek()?.text === '==' || peek()?.text === '!=') {
      const op = take().text;
      const right = primary();
      left = op === '==' ? equal(left, right) : !equal(left, right);
    }
    return left;
  };
  const and = (): Value => {
    let left = comparison();
    while (peek()?.text === '&&') {
      take('&&');
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const or = (): Value => {
    let left = and();
    while (peek()?.text === '||') {
      take('||');
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const result = or();
  if (i !== list.length) throw new Error(`the workflow test cannot read the expression ${expression}: unexpected ${list[i]?.text}`);
  return result;
}

/**
 * An `if:` condition: without a status function it means `success() && (…)`. `${{ }}` around it
 * is optional, as in GitHub.
 */
export function condition(expression: string | undefined, scope: ExpressionScope): boolean {
  const bare = (expression ?? '').trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1').trim();
  if (bare === '') return truthy(evaluateExpression('success()', scope));
  const withStatus = /\b(success|failure|always|cancelled)\(\)/.test(bare) ? bare : `success() && (${bare})`;
  return truthy(evaluateExpression(withStatus, scope));
}

/** Replaces every `${{ … }}` in a text (a `run:` script, an output, a `with:` value) with its value. */
export function substitute(template: string, scope: ExpressionScope): string {
  return template.replace(/\$\{\{\s*([\s\S]*?)\s*\}\}/g, (_, expression: string) => text(evaluateExpression(expression, scope)));
}
