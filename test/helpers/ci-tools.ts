import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, type TestRepo } from './repo.js';

/**
 * `npx relmgr` is this build of relmgr and `npm ci` does nothing: shims in <home>/tools, first on
 * the PATH this returns. The recipes run `npx relmgr …` as a project that depends on relmgr would.
 */
export function relmgrOnPath(r: Pick<TestRepo, 'home' | 'env'>): string {
  const tools = join(r.home, 'tools');
  mkdirSync(tools, { recursive: true });
  writeFileSync(join(tools, 'npx'), `#!/bin/sh\n[ "$1" = relmgr ] && shift\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  writeFileSync(join(tools, 'npm'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(tools, 'npx'), 0o755);
  chmodSync(join(tools, 'npm'), 0o755);
  return `${tools}:${r.env.PATH ?? ''}`;
}

/** `KEY=value` lines (a dotenv file, a properties file) as an object; the last of a key wins. */
export function dotenv(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** Azure Pipelines `task.setvariable` logging commands in a step's output: name → value. */
export function azureVariables(text: string): Record<string, string> {
  const unescape = (value: string) => value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%AZP25/g, '%');
  return Object.fromEntries([...text.matchAll(/^##vso\[task\.setvariable variable=([^;\]]+);isOutput=true\](.*)$/gm)].map((m) => [m[1] ?? '', unescape(m[2] ?? '')]));
}

/** A signoff approval from bob@example.com at production's entry (what the gated recipes wait for). */
export const SIGNOFF = '    entry:\n      - approval: { id: signoff, rules: [{ from: [bob@example.com] }] }\n';

/**
 * The release config the CI recipes run with: a build and a test step, staging then production,
 * each shipped by `ship` (a shell command), and what production's entry holds (`SIGNOFF`, or nothing).
 */
export function recipeConfig(ship: string, productionEntry = ''): string {
  return `schema: relmgr/v1
versioning: { branches: [main] }
phases:
  build:
    steps: [ { name: compile, run: "true" } ]
  test:
    steps: [ { name: unit, run: "true" } ]
  deploy:
    order: [staging, production]
environments:
  staging:
    deploy: [ { name: ship, run: "${ship}" } ]
  production:
    tier: production
${productionEntry}    deploy: [ { name: ship, run: "${ship}" } ]
`;
}
