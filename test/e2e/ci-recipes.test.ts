import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { azureExpression, balanced, clones, jenkinsStages, runAzurePipeline, runJenkinsfile } from '../helpers/ci-pipelines.js';
import { relmgrOnPath, recipeConfig } from '../helpers/ci-tools.js';
import { run, useProjects } from '../helpers/repo.js';

/*
 * examples/Jenkinsfile and examples/azure-pipelines.yml: checked for structure, then their relmgr
 * command lines run in order in a scratch project with a bare remote, with the CI's environment
 * variables, passing outputs the way the CI would (test/helpers/ci-pipelines.ts).
 */
const JENKINSFILE = resolve(import.meta.dirname, '../../examples/Jenkinsfile');
const AZURE = resolve(import.meta.dirname, '../../examples/azure-pipelines.yml');

const CONFIG = recipeConfig('echo $RELMGR_VERSION $RELMGR_ENV >> $HOME/deployed');

const project = useProjects(afterEach, afterAll);

function setup() {
  const r = project(CONFIG);
  const env = { ...r.env, PATH: relmgrOnPath(r), CI: 'true' };
  return { r, shell: { checkout: clones(r.bare, r.home, r.env), env }, deployed: () => readFileSync(join(r.home, 'deployed'), 'utf8') };
}

describe('examples/Jenkinsfile', () => {
  const text = readFileSync(JENKINSFILE, 'utf8');

  it('is a declarative pipeline: balanced, its stages in order, readProperties, an input before production', () => {
    expect(balanced(text)).toBe(true);
    expect(balanced('pipeline { stage("}") { ')).toBe(false);
    expect(text).toMatch(/^pipeline \{$/m);
    expect(text).toContain('readProperties(file: file)');
    const stages = jenkinsStages(text);
    expect(stages.map((s) => s.name)).toEqual(['Identity', 'Plan', 'Cut', 'Test', 'Deploy staging', 'Deploy production']);
    expect(stages.find((s) => s.name === 'Deploy production')?.input).toBe('Deploy ${env.RELMGR_VERSION} to production?');
    expect(stages.filter((s) => s.input !== null)).toHaveLength(1);
    // No executor held while production waits for its input: no agent for the pipeline, one per stage.
    expect(text).toMatch(/^pipeline \{\n(?:\s*\/\/.*\n)*\s*agent none\n/m);
    expect(text.match(/^\s*agent any\b/gm)).toHaveLength(2);
    expect(stages.find((s) => s.name === 'Deploy production')?.actions.map((a) => ('sh' in a ? a.sh : a.publish))).toEqual([
      'npm ci',
      expect.stringContaining('git config user.name'),
      expect.stringContaining('git fetch -q --tags origin && git checkout -q "$RELMGR_TAG"'),
      'production.env',
    ]);
  });

  it('runs plan → cut → test → deploy staging → (input) → deploy production, the dotenv of each read into env', () => {
    const { r, shell, deployed } = setup();
    const jenkins = runJenkinsfile(JENKINSFILE, shell, { JENKINS_URL: 'https://jenkins.example.com/', BUILD_NUMBER: '7', BRANCH_NAME: 'main', JOB_NAME: 'demo/main' });
    expect(Object.values(jenkins.stages), jenkins.log).toEqual(['ran', 'ran', 'ran', 'ran', 'ran', 'ran']);
    expect(jenkins.inputs).toEqual(['Deploy 1.0.1 to production?']);
    expect(jenkins.env).toMatchObject({ RELMGR_VERSION: '1.0.1', RELMGR_TAG: 'v1.0.1', RELMGR_STATE: 'deployed', RELMGR_ENVIRONMENT: 'production', RELMGR_RELEASED: 'true' });
    expect(deployed()).toBe('1.0.1 staging\n1.0.1 production\n');
    const again = runJenkinsfile(JENKINSFILE, shell, { JENKINS_URL: 'https://jenkins.example.com/', BUILD_NUMBER: '8', BRANCH_NAME: 'main' });
    // The next build (the release commit): nothing to release; the later stages are skipped.
    expect(again.stages, again.log).toEqual({ Identity: 'ran', Plan: 'ran', Cut: 'skipped', Test: 'skipped', 'Deploy staging': 'skipped', 'Deploy production': 'skipped' });
    expect(again.env).toMatchObject({ RELMGR_STATE: 'none', RELMGR_RELEASED: 'false' });
    expect(r.git('ls-remote', '--tags', r.bare)).toContain('refs/tags/v1.0.1');
  });
});

describe('examples/azure-pipelines.yml', () => {
  it.each([
    ["eq(variables['a.b'], 'x')", { 'variables[a.b]': 'X' }, true],
    ["and(succeeded(), ne(variables['a'], 'x'))", { 'variables[a]': 'x' }, false],
    ["or(eq('1', '2'), eq(dependencies.S.outputs['j.s.v'], 'true'))", { 'dependencies.S.outputs[j.s.v]': 'True' }, true],
  ])('expressions: %s (a name is looked up as name[key])', (expression, values: Record<string, string>, expected) => {
    expect(azureExpression(expression, (path) => values[path] ?? '')).toBe(expected);
  });

  it('runs Release (plan, cut, test), Staging, then Production: output variables on stderr, referenced by later steps and stages', async () => {
    const { r, shell, deployed } = setup();
    const azure = runAzurePipeline(AZURE, shell, { 'Build.SourceBranchName': 'main', 'Build.BuildId': '42', 'System.TeamProject': 'demo' });
    expect(azure.stages, azure.log).toEqual({ Release: 'succeeded', Staging: 'succeeded', Production: 'succeeded' });
    expect(azure.outputs).toMatchObject({
      'Release.gate.plan.state': 'planned',
      'Release.gate.cut.state': 'cut',
      'Release.gate.test.state': 'tested',
      'Release.gate.test.tag': 'v1.0.1',
      'Staging.staging.deploy.environment': 'staging',
      'Staging.staging.deploy.released': 'true',
      'Production.production.deploy.state': 'deployed',
      'Production.production.deploy.environment': 'production',
    });
    // Logging commands go to stderr: stdout keeps relmgr's own output.
    for (const script of azure.scripts) expect(script.stdout).not.toContain('##vso[');
    expect(azure.scripts.find((s) => s.where === 'Production.production.deploy')?.script).toContain('git checkout -q "v1.0.1"');
    expect(deployed()).toBe('1.0.1 staging\n1.0.1 production\n');
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout)).toMatchObject({ version: '1.0.1', state: 'deployed' });
    // The run its release commit starts: nothing to release, and no later stage.
    const again = runAzurePipeline(AZURE, shell, { 'Build.SourceBranchName': 'main', 'Build.BuildId': '43' });
    expect(again.stages, again.log).toEqual({ Release: 'succeeded', Staging: 'skipped', Production: 'skipped' });
    expect(again.outputs).toMatchObject({ 'Release.gate.plan.state': 'none', 'Release.gate.plan.released': 'false' });
  });
});

describe('docs/ci.md', () => {
  const docs = readFileSync(resolve(import.meta.dirname, '../../docs/ci.md'), 'utf8');
  it.each([
    ['github-actions-deploy.yml', 'yaml'],
    ['gitlab-ci.yml', 'yaml'],
    ['Jenkinsfile', 'groovy'],
    ['azure-pipelines.yml', 'yaml'],
  ])('shows examples/%s exactly as the tests run it', (file, language) => {
    const blocks = [...docs.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]);
    expect(blocks).toContain(readFileSync(resolve(import.meta.dirname, '../../examples', file), 'utf8'));
  });
});
