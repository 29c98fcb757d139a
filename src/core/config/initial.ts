import type { VersionFileSpec } from '../version-files.js';

/** What `relmgr init` asks (or defaults to), and the file it writes from the answers. */
export interface InitAnswers {
  project: string;
  tag: string;
  branch: string;
  environments: string[];
  productionApproval: boolean;
  approvers: string[];
  /** `$schema` reference for editors: a path relative to the config, or a URL. */
  schemaRef: string;
  /** package.json exists: npm steps. */
  node: boolean;
  /** The version files found in the repository (default: package.json when `node`). */
  versionFiles?: VersionFileSpec[];
}

function versionFileLine(spec: VersionFileSpec): string {
  if (typeof spec === 'string') return `    - ${q(spec)}${spec === 'package.json' ? '             # and package-lock.json' : ''}`;
  const [kind, key] = Object.entries(spec).find(([name]) => name !== 'path') ?? ['regex', '^.*$'];
  return `    - { path: ${q(spec.path)}, ${kind}: ${q(key)} }`;
}

function versionFileLines(files: readonly VersionFileSpec[]): string[] {
  if (files.length > 0) return ['  files:                       # version files rewritten by relmgr cut', ...files.map(versionFileLine)];
  return [
    '  files: []                    # no version file found; to have relmgr cut write one, list it:',
    '  #   - package.json   - { path: Cargo.toml, toml: package.version }   - { path: VERSION, regex: "^.*$" }',
  ];
}

export const PRODUCTION_NAMES = /^(prod|production|live)$/i;

/**
 * The approver `relmgr init` writes when git has no usable user.email: the file still validates,
 * and `relmgr validate` warns until someone replaces it (`.invalid` never resolves, RFC 2606).
 */
export const PLACEHOLDER_APPROVER = 'replace-me@example.invalid';

/** A YAML scalar: plain when that reads back as the same string, quoted otherwise. */
const q = (value: string): string =>
  /^[A-Za-z0-9][A-Za-z0-9_./@-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n|[-+0-9.e_]+)$/i.test(value) ? value : JSON.stringify(value);

/** A commented release.config.yaml. `relmgr init` validates it before writing. */
export function renderInitialConfig(a: InitAnswers): string {
  const production = a.environments.filter((name) => PRODUCTION_NAMES.test(name));
  const approval = a.productionApproval && a.approvers.length > 0 && production.length > 0;
  const lines: string[] = [
    `# yaml-language-server: $schema=${a.schemaRef}`,
    '# relmgr release config. Every key, with comments: release.config.example.yaml in relmgr.',
    '# Check it with: relmgr validate',
    'schema: relmgr/v1',
    `project: ${q(a.project)}`,
    '',
    'versioning:',
    `  tag: ${q(a.tag)}`,
    `  branches: [${q(a.branch)}]          # where normal releases may be cut`,
    ...versionFileLines(a.versionFiles ?? (a.node ? ['package.json'] : [])),
    '',
    'changelog:',
    '  file: CHANGELOG.md',
  ];
  if (approval) {
    lines.push('', 'groups:');
    if (a.approvers.includes(PLACEHOLDER_APPROVER)) {
      lines.push('  # PLACEHOLDER: relmgr init found no git user.email. List who approves production deploys here.');
    }
    lines.push(`  release-managers: [${a.approvers.map(q).join(', ')}]`);
  }
  lines.push('', 'phases:');
  if (a.node) {
    lines.push('  build:', '    steps:', '      - { run: "npm ci && npm run build --if-present", timeout: 15m }');
    lines.push('  test:', '    steps:', '      - { run: "npm test", timeout: 20m }');
  } else {
    lines.push('  build: {}                    # add steps: - { run: "make", timeout: 15m }', '  test: {}                     # add steps: - { run: "make test", timeout: 20m }');
  }
  if (a.environments.length > 0) {
    lines.push('  deploy:', `    order: [${a.environments.map(q).join(', ')}]   # each environment requires the one before it`);
    lines.push('', 'environments:');
    for (const env of a.environments) {
      lines.push(`  ${q(env)}:`);
      if (PRODUCTION_NAMES.test(env)) {
        lines.push('    tier: production');
        if (approval) {
          const self = a.approvers.length < 2;
          lines.push('    entry:');
          lines.push(`      - approval: { id: signoff, rules: [ { from: release-managers, min: 1 } ]${self ? ', allow_self: true' : ''} }`);
          if (self) lines.push('        # allow_self: only one approver is listed; add people to release-managers and remove it');
        }
      }
      lines.push('    deploy:', `      - { run: ${q(`echo "replace with the command that deploys $RELMGR_VERSION to ${env}"`)} }`);
    }
  }
  lines.push('', 'audit:', '  ledger: { branch: relmgr/ledger, push: auto }', '');
  return lines.join('\n');
}
