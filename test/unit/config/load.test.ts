import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/core/config/load.js';
import { formatProblem } from '../../../src/core/config/problems.js';

const lines = (text: string) => parseConfig(text, 'release.config.yaml').problems.map(formatProblem);

describe('parseConfig', () => {
  it('accepts an empty file and fills in every default', () => {
    const { config, problems } = parseConfig('', 'r.yaml');
    expect(problems).toEqual([]);
    expect(config?.versioning).toEqual({ tag: 'v{version}', branches: ['main', 'master'], initial: '0.1.0', types: {}, initialDevelopment: { breaking: 'minor', feature: 'minor' }, files: ['package.json'] });
    expect(config?.audit.ledger).toEqual({ branch: 'relmgr/ledger', push: 'auto' });
  });

  it('reports every mistake at once, each at its line and column', () => {
    const text = [
      'schema: relmgr/v1', //                                      1
      'project: demo', //                                           2
      'versioning:', //                                             3
      '  tag: "release-{ver}"', //                                  4
      '  initial: 1.0', //                                          5
      '  tpyes: { docs: patch }', //                                6
      '  files:', //                                                7
      '    - { path: chart.yaml, yml: version }', //                8
      'groups:', //                                                 9
      '  rm: [alice@example.com, not-an-email]', //                10
      'calendars:', //                                             11
      '  timezone: Europe/Berlinn', //                             12
      '  freezes:', //                                             13
      '    weekend: { start: "0 16 * * FRY", end: "0 8 * * MON" }', // 14
      'checks:', //                                                15
      '  smoke: { run: ./smoke.sh, timeout: 2 minutes }', //       16
      'phases:', //                                                17
      '  deploy:', //                                              18
      '    order: [staging, prod, staging]', //                    19
      'environments:', //                                         20
      '  staging:', //                                             21
      '    exit: [ { chek: smoke } ]', //                          22
      '  production:', //                                          23
      '    tier: production', //                                   24
      '    entry:', //                                             25
      '      - approval: { id: signoff, rules: [ { from: rm, min: 3 } ] }', // 26
      '      - window: office', //                                 27
      '    on_failure: rollback', //                               28
      'project: again', //                                         29
      '',
    ].join('\n');
    const result = parseConfig(text, 'release.config.yaml');
    expect(result.config).toBeNull();
    expect(result.problems.map(formatProblem)).toEqual([
      'release.config.yaml:4:8  versioning.tag  a tag template must contain {version}, e.g. "v{version}"',
      'release.config.yaml:5:12  versioning.initial  expected a string, got the number 1 (quote it: "1.0")',
      'release.config.yaml:6:3  versioning.tpyes  unknown key "tpyes" (did you mean "types"?)',
      'release.config.yaml:8:27  versioning.files[0].yml  unknown key "yml" (did you mean "yaml"?)',
      'release.config.yaml:10:27  groups.rm[1]  not an email address',
      'release.config.yaml:12:13  calendars.timezone  unknown time zone "Europe/Berlinn": use an IANA name such as Europe/Berlin or UTC',
      'release.config.yaml:14:23  calendars.freezes.weekend.start  invalid cron expression "0 16 * * FRY": configuration entry 5 (FRY) contains illegal characters.',
      'release.config.yaml:16:38  checks.smoke.timeout  not a duration: use a number and a unit, like 90s, 15m, 24h or 7d',
      'release.config.yaml:19:22  phases.deploy.order[1]  "prod" is not defined under environments (defined: staging, production)',
      'release.config.yaml:19:28  phases.deploy.order[2]  "staging" appears more than once in the deploy order',
      'release.config.yaml:22:15  environments.staging.exit[0].chek  unknown key "chek" (did you mean "check"?)',
      'release.config.yaml:24:5  environments.production  warning: environment "production" is not in phases.deploy.order: it may be deployed to at any time, nothing is required before it',
      'release.config.yaml:26:60  environments.production.entry[0].approval.rules[0].min  needs 3 approvals but only 1 person is eligible: the gate could never pass',
      'release.config.yaml:27:17  environments.production.entry[1].window  no window under calendars.windows named "office" (defined: none)',
      'release.config.yaml:28:17  environments.production.on_failure  on_failure: rollback needs rollback steps under environments.production.rollback',
      'release.config.yaml:29:1  (file)  duplicate key "project": a key may appear once in a mapping (the later one would silently win)',
    ]);
  });

  it.each([
    ['versioning: [a', /^release\.config\.yaml:1:\d+  \(file\)  YAML syntax error: /],
    ['a: b\n  c: d\n', /^release\.config\.yaml:1:4  \(file\)  YAML syntax error: Nested mappings/],
    ['- just\n- a list\n', /^release\.config\.yaml:1:1  \(file\)  the file must be a mapping of keys/],
    ['schema: relmgr/v2\n', /1:9  schema  must be "relmgr\/v1", got the string "relmgr\/v2"/],
    ['versioning: { initial: 1.0.0.0 }\n', /versioning\.initial  "1\.0\.0\.0" is not a semantic version/],
    ['versioning: { tag: "v{version}-{version}" }\n', /a tag template contains \{version\} once/],
    ['versioning: { types: { docs: huge } }\n', /versioning\.types\.docs  must be one of "major", "minor", "patch", "none", got the string "huge"/],
    ['versioning: { branches: [] }\n', /versioning\.branches  needs at least 1 item/],
    ['groups: { a: [x@example.com] }\nchecks: { c: { timeout: 5m } }\n', /2:14  checks\.c\.run  missing required key "run" \(a string\)/],
    ['calendars: { windows: { w: { days: [mon, funday], from: "9:00", to: "17:00" } } }\n', /calendars\.windows\.w\.days\[1\]  must be one of "mon"/],
    ['calendars: { windows: { w: { days: [mon], from: "9:00", to: "17:00" } } }\n', /calendars\.windows\.w\.from  a time of day as HH:MM/],
    ['calendars: { freezes: { f: { from: "2026-13-40T00:00", to: "2027-01-01T00:00" } } }\n', /calendars\.freezes\.f\.from  not a real date/],
    ['calendars: { freezes: { f: { start: "0 16 * *", end: "0 8 * * MON" } } }\n', /a cron expression has 5 fields .* has 4/],
    ['tracks: { emergency: { require: { incident: "([" } } }\n', /tracks\.emergency\.require\.incident  invalid regular expression/],
    ['environments: { p: { exit: [ { wait: 5m, check: x } ] } }\n', /environments\.p\.exit\[0\]  a gate has exactly one kind/],
    ['environments: { p: { exit: [ { aproval: { rules: [] } } ] } }\n', /environments\.p\.exit\[0\]\.aproval  unknown key "aproval" \(did you mean "approval"\?\)/],
    ['environments: { p: { deploy: [ { run: x, retries: -1 } ] } }\n', /environments\.p\.deploy\[0\]\.retries  must be at least 0/],
    ['environments: { p: { deploy: [ { run: x, tiemout: 5m } ] } }\n', /unknown key "tiemout" \(did you mean "timeout"\?\)/],
    ['colour: red\n', /1:1  colour  unknown key "colour" \(allowed: /],
    ['a: &x [1]\nb: *x\nschema: relmgr/v1\n', /unknown key "a"/],
  ])('%j', (text, expected) => {
    const problems = lines(text);
    expect(problems.some((line) => expected.test(line)), problems.join('\n')).toBe(true);
  });

  it('refuses gates that would silently do nothing, each at the offending value', () => {
    const text = [
      'calendars:', //                                                              1
      '  freezes:', //                                                              2
      '    year-end: { from: "2026-11-30T02:00", to: "2026-11-29T20:00" }', //      3
      'phases:', //                                                                 4
      '  build:', //                                                                5
      '    entry:', //                                                              6
      '      - freeze: year-end', //                                                7
      '      - approval: { id: signoff, rules: [ { from: a@example.com } ], allow_self: true }', // 8
      '      - approval: { id: signoff, rules: [ { from: b@example.com } ], allow_self: true }', // 9
      '',
    ].join('\n');
    const { config, problems } = parseConfig(text, 'release.config.yaml');
    expect(problems.map(formatProblem)).toEqual([
      'release.config.yaml:3:47  calendars.freezes.year-end.to  freeze "year-end" ends (2026-11-29T20:00) before it starts (2026-11-30T02:00): it would never be active',
      'release.config.yaml:9:25  phases.build.entry[2].approval.id  approval "signoff" is listed twice in phases.build.entry (first at phases.build.entry[1]): `relmgr approve --gate signoff` could only ever decide the first; give each its own id',
    ]);
    expect(config).toBeNull();
  });

  it('validates the example file and this repository\'s own config', () => {
    for (const file of ['release.config.example.yaml', 'release.config.yaml']) {
      const { config, problems } = parseConfig(readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8'), file);
      expect(problems.map(formatProblem)).toEqual([]);
      expect(config).not.toBeNull();
    }
  });
});
