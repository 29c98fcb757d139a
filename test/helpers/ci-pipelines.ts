import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { azureVariables, dotenv } from './ci-tools.js';

/*
 * Small runners for the Jenkins and Azure Pipelines recipes: no Jenkins, no agent. Each reads the
 * recipe, runs its shell commands in order in a fresh clone of the project's remote, with the
 * CI's own environment variables, and passes the outputs on the way the CI would: Jenkins through
 * `readProperties` of the dotenv files into env, Azure through `task.setvariable` output
 * variables, step to step (`$(step.name)`, `variables['step.name']`) and stage to stage
 * (`dependencies.…outputs[…]`, `stageDependencies.…`).
 */

export interface Shell {
  /** A fresh clone of the project's remote, checked out on main: the CI's checkout. */
  checkout(): string;
  env: NodeJS.ProcessEnv;
}

export interface ScriptRun {
  where: string;
  script: string;
  code: number;
  stdout: string;
  stderr: string;
}

const bash = (cwd: string, env: NodeJS.ProcessEnv, script: string, flags: string[]): Omit<ScriptRun, 'where' | 'script'> => {
  const r = spawnSync('bash', ['--noprofile', '--norc', ...flags, '-c', script], { cwd, env, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

/** Every `{`, `(` and `[` of a Groovy text closed in order, outside strings and comments. */
export function balanced(text: string): boolean {
  const code = text
    .replace(/\/\/.*$/gm, '')
    .replace(/"(?:\\.|[^"\\])*"/g, '""')
    .replace(/'(?:\\.|[^'\\])*'/g, "''");
  const stack: string[] = [];
  const pairs: Record<string, string> = { '}': '{', ')': '(', ']': '[' };
  for (const c of code) {
    if ('{(['.includes(c)) stack.push(c);
    else if (c in pairs && stack.pop() !== pairs[c]) return false;
  }
  return stack.length === 0;
}

/** The body of the block that opens at the first `{` from `from`. */
function block(text: string, from: number): string {
  const open = text.indexOf('{', from);
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === '{') depth += 1;
    else if (text[i] === '}' && (depth -= 1) === 0) return text.slice(open + 1, i);
  }
  throw new Error('unclosed block');
}

export interface JenkinsStage {
  name: string;
  /** `env.KEY == 'value'` conditions of its `when { expression { … } }`, all required. */
  when: [string, string][];
  input: string | null;
  actions: ({ sh: string } | { publish: string })[];
}

/**
 * The stages of a declarative Jenkinsfile that run steps (a parent stage's nested `stages { … }`
 * are listed in its place): name, when, input, and its `sh '…'` and `publish('…')` in order — not
 * those of its `post { … }`, which run only on its outcome.
 */
export function jenkinsStages(text: string): JenkinsStage[] {
  const pipeline = block(text, text.indexOf('pipeline {'));
  return [...pipeline.matchAll(/stage\('([^']+)'\)\s*\{/g)].flatMap((m) => {
    const whole = block(pipeline, m.index);
    if (/\bstages\s*\{/.test(whole)) return [];
    const post = whole.search(/\bpost\s*\{/);
    const open = post + whole.slice(post).indexOf('{');
    const body = post < 0 ? whole : whole.slice(0, post) + whole.slice(open + block(whole, post).length + 2);
    const when = /when\s*\{/.test(body) ? block(body, body.search(/when\s*\{/)) : '';
    const input = /input\s*\{[^}]*message\s+"([^"]*)"/.exec(body)?.[1] ?? null;
    const actions = [...body.matchAll(/sh '((?:\\.|[^'\\])*)'|publish\('([^']+)'\)/g)].map((a) => (a[1] !== undefined ? { sh: a[1] } : { publish: a[2] ?? '' }));
    return { name: m[1] ?? '', when: [...when.matchAll(/env\.(\w+) == '([^']*)'/g)].map((c) => [c[1] ?? '', c[2] ?? ''] as [string, string]), input, actions };
  });
}

export interface JenkinsRun {
  stages: Record<string, 'ran' | 'skipped' | 'failed'>;
  /** The `input` messages a person answered (Groovy's ${env.X} filled in). */
  inputs: string[];
  env: Record<string, string>;
  log: string;
}

/** Runs the stages in order as Jenkins would (`sh` is `sh -e`), a person answering every `input`. */
export function runJenkinsfile(file: string, shell: Shell, jenkins: Record<string, string>): JenkinsRun {
  const dir = shell.checkout();
  const run: JenkinsRun = { stages: {}, inputs: [], env: { WORKSPACE: dir, ...jenkins }, log: '' };
  for (const stage of jenkinsStages(readFileSync(file, 'utf8'))) {
    if (Object.values(run.stages).includes('failed') || !stage.when.every(([key, value]) => (run.env[key] ?? '') === value)) {
      run.stages[stage.name] = 'skipped';
      continue;
    }
    if (stage.input !== null) run.inputs.push(stage.input.replace(/\$\{env\.(\w+)\}/g, (_, key: string) => run.env[key] ?? 'null'));
    run.stages[stage.name] = 'ran';
    for (const action of stage.actions) {
      if ('publish' in action) {
        Object.assign(run.env, dotenv(readFileSync(join(dir, action.publish), 'utf8')));
        continue;
      }
      const result = bash(dir, { ...shell.env, ...run.env }, action.sh, ['-e']);
      run.log += `[${stage.name}] $ ${action.sh}\n${result.stdout}${result.stderr}exit ${result.code}\n`;
      if (result.code !== 0) {
        run.stages[stage.name] = 'failed';
        break;
      }
    }
  }
  return run;
}

interface AzureStep {
  checkout?: string;
  task?: string;
  script?: string;
  name?: string;
  condition?: string;
}
interface AzureJob {
  job?: string;
  deployment?: string;
  steps?: AzureStep[];
  strategy?: { runOnce: { deploy: { steps: AzureStep[] } } };
}
interface AzureStage {
  stage: string;
  condition?: string;
  variables?: Record<string, string>;
  jobs: AzureJob[];
}

type Lookup = (path: string) => string;

/** Azure's condition and runtime expressions, as far as the recipes use them: and, or, eq, ne, succeeded, '…', variables['…'], dependencies…, stageDependencies…. */
export function azureExpression(text: string, lookup: Lookup): string | boolean {
  let at = 0;
  const skipSpace = () => {
    while (/\s/.test(text[at] ?? '')) at += 1;
  };
  const value = (): string | boolean => {
    skipSpace();
    if (text[at] === "'") {
      const end = text.indexOf("'", at + 1);
      const literal = text.slice(at + 1, end);
      at = end + 1;
      return literal;
    }
    const name = /^[\w.]+/.exec(text.slice(at))?.[0] ?? '';
    at += name.length;
    if (text[at] === '[') {
      const end = text.indexOf(']', at);
      const key = text.slice(at + 2, end - 1);
      at = end + 1;
      return lookup(`${name}[${key}]`);
    }
    if (text[at] !== '(') throw new Error(`azure expression: ${text} at ${at}`);
    at += 1;
    const args: (string | boolean)[] = [];
    skipSpace();
    while (text[at] !== ')') {
      args.push(value());
      skipSpace();
      if (text[at] === ',') at += 1;
      skipSpace();
    }
    at += 1;
    const text2 = (v: string | boolean | undefined) => String(v ?? '').toLowerCase();
    switch (name) {
      case 'succeeded':
        return true;
      case 'and':
        return args.every((a) => a === true);
      case 'or':
        return args.some((a) => a === true);
      case 'eq':
        return text2(args[0]) === text2(args[1]);
      case 'ne':
        return text2(args[0]) !== text2(args[1]);
      default:
        throw new Error(`azure expression: no function ${name}`);
    }
  };
  return value();
}

export interface AzureRun {
  stages: Record<string, 'succeeded' | 'skipped' | 'failed'>;
  /** Output variables by `<stage>.<job>.<step>.<name>`. */
  outputs: Record<string, string>;
  scripts: ScriptRun[];
  log: string;
}

/** Runs the stages in order as an Azure agent would: each job in a fresh checkout, each script under bash with TF_BUILD=True. */
export function runAzurePipeline(file: string, shell: Shell, predefined: Record<string, string>): AzureRun {
  const pipeline = parse(readFileSync(file, 'utf8')) as { stages: AzureStage[] };
  const run: AzureRun = { stages: {}, outputs: {}, scripts: [], log: '' };
  const env = (name: string) => name.toUpperCase().replace(/\./g, '_');
  const jobsOf: Record<string, [string, boolean][]> = Object.fromEntries(pipeline.stages.map((st) => [st.stage, st.jobs.map((j) => [j.job ?? j.deployment ?? '', j.deployment !== undefined] as [string, boolean])]));
  for (const stage of pipeline.stages) {
    // Azure's names: dependencies.<stage>.outputs['<job>.<step>.<name>'] and stageDependencies.<stage>.<job>.outputs['<step>.<name>'];
    // a runOnce deployment job adds its own name once more (its lifecycle hook): '<job>.<job>.<step>.<name>', '<job>.<step>.<name>'.
    const stageLookup: Lookup = (path) => {
      const m = /^(?:dependencies\.(\w+)|stageDependencies\.(\w+)\.(\w+))\.outputs\[(.+)\]$/.exec(path);
      if (!m) throw new Error(`azure expression: no ${path}`);
      const [from, key] = [m[1] ?? m[2] ?? '', m[4] ?? ''];
      for (const [job, deployment] of jobsOf[from] ?? []) {
        const prefix = `${m[3] === undefined ? `${job}.` : ''}${deployment ? `${job}.` : ''}`;
        if ((m[3] === undefined || m[3] === job) && key.startsWith(prefix)) return run.outputs[`${from}.${job}.${key.slice(prefix.length)}`] ?? '';
      }
      return '';
    };
    if (Object.values(run.stages).includes('failed') || (stage.condition && azureExpression(stage.condition, stageLookup) !== true)) {
      run.stages[stage.stage] = 'skipped';
      continue;
    }
    const variables: Record<string, string> = { ...predefined };
    for (const [key, value] of Object.entries(stage.variables ?? {})) variables[key] = String(azureExpression(value.replace(/^\$\[\s*|\s*\]$/g, ''), stageLookup));
    run.stages[stage.stage] = 'succeeded';
    for (const job of stage.jobs) {
      const jobName = job.job ?? job.deployment ?? '';
      const steps = job.steps ?? job.strategy?.runOnce.deploy.steps ?? [];
      const vars: Record<string, string> = { ...variables };
      let dir: string | null = null;
      for (const step of steps) {
        if (step.checkout) dir = shell.checkout();
        if (step.script === undefined) continue;
        if (!dir) throw new Error(`${jobName}: a script before a checkout`);
        if (step.condition && azureExpression(step.condition, (path) => vars[/^variables\[(.+)\]$/.exec(path)?.[1] ?? ''] ?? '') !== true) continue;
        const script = step.script.replace(/\$\(([\w.]+)\)/g, (whole, name: string) => vars[name] ?? whole);
        const stepEnv = Object.fromEntries(Object.entries(vars).map(([k, v]) => [env(k), v]));
        const result = bash(dir, { ...shell.env, ...stepEnv, TF_BUILD: 'True' }, script, []);
        run.scripts.push({ where: `${stage.stage}.${jobName}.${step.name ?? ''}`, script, ...result });
        run.log += `[${stage.stage}/${jobName}] $ ${script}\n${result.stdout}${result.stderr}exit ${result.code}\n`;
        // The agent reads logging commands from both streams.
        for (const [key, value] of Object.entries(azureVariables(`${result.stdout}\n${result.stderr}`))) {
          if (!step.name) continue;
          vars[`${step.name}.${key}`] = value;
          run.outputs[`${stage.stage}.${jobName}.${step.name}.${key}`] = value;
        }
        if (result.code !== 0) {
          run.stages[stage.stage] = 'failed';
          break;
        }
      }
    }
  }
  return run;
}

/** A fresh clone of the remote for each checkout, on main; `git` as the project's environment runs it. */
export function clones(bare: string, home: string, env: NodeJS.ProcessEnv): () => string {
  let n = 0;
  return () => {
    n += 1;
    const dir = join(home, `agent-${n}`);
    execFileSync('git', ['clone', '-q', bare, dir], { env });
    return dir;
  };
}
