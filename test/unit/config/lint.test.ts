import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/core/config/load.js';
import { formatProblem } from '../../../src/core/config/problems.js';

const GROUPS = 'groups:\n  rm: [a@example.com, b@example.com]\n  solo: [c@example.com]\n';
const check = (yaml: string) => parseConfig(GROUPS + yaml, 'r.yaml').problems.map((p) => `${p.severity} ${p.path}: ${p.message}`);

describe('lint rules', () => {
  it.each<[string, string, RegExp | null]>([
    ['deploy order names undefined environments', 'phases: { deploy: { order: [qa] } }\nenvironments: { prod: {} }\n', /error phases\.deploy\.order\[0\]: "qa" is not defined under environments/],
    ['deploy order repeats', 'phases: { deploy: { order: [a, a] } }\nenvironments: { a: {} }\n', /error phases\.deploy\.order\[1\]: "a" appears more than once/],
    ['unknown check', 'environments: { a: { exit: [ { check: smoke } ] } }\n', /error environments\.a\.exit\[0\]\.check: no check under checks named "smoke"/],
    ['unknown freeze', 'environments: { a: { entry: [ { freeze: [xmas] } ] } }\n', /error environments\.a\.entry\[0\]\.freeze\[0\]: no freeze under calendars\.freezes named "xmas"/],
    ['unknown group', 'phases: { plan: { exit: [ { approval: { rules: [ { from: admins } ] } } ] } }\n', /error phases\.plan\.exit\[0\]\.approval\.rules\[0\]\.from: "admins" is neither an email nor a group/],
    ['checklist group', 'phases: { plan: { exit: [ { checklist: { id: c, who: nobody, items: [ { id: i, text: t } ] } } ] } }\n', /error .*checklist\.who: "nobody" is neither/],
    ['min above eligible', 'environments: { p: { entry: [ { approval: { rules: [ { from: rm, min: 3 } ] } } ] } }\n', /error environments\.p\.entry\[0\]\.approval\.rules\[0\]\.min: needs 3 approvals but only 2 people are eligible: the gate could never pass/],
    ['min of every eligible person: passable unless one of them plans (plan warns then)', 'environments: { p: { entry: [ { approval: { rules: [ { from: rm, min: 2 } ] } } ] } }\n', null],
    ['min fits with allow_self', 'environments: { p: { entry: [ { approval: { rules: [ { from: rm, min: 2 } ], allow_self: true } } ] } }\n', null],
    ['min fits with emails', 'environments: { p: { entry: [ { approval: { rules: [ { from: [rm, solo], min: 2 } ] } } ] } }\n', null],
    ['production without approval', 'environments: { p: { tier: production } }\n', /warning environments\.p\.tier: a production-tier environment with no approval gate/],
    ['rollback without steps', 'environments: { p: { on_failure: rollback } }\n', /error environments\.p\.on_failure: on_failure: rollback needs rollback steps/],
    ['rollback with steps', 'environments: { p: { on_failure: rollback, rollback: [ { run: x } ] } }\n', null],
    ['emergency skips build', 'tracks: { emergency: { skip: [build] } }\n', /error tracks\.emergency\.skip\[0\]: the emergency track may not skip the build phase/],
    ['emergency skips build gate', 'tracks: { emergency: { skip: [build.exit] } }\n', /may not skip the build phase/],
    ['emergency skips production exit', 'environments: { live: { tier: production, exit: [ { wait: 5m } ], entry: [ { approval: { rules: [ { from: rm } ] } } ] } }\ntracks: { emergency: { skip: [live.exit] } }\n', /may not skip the exit checks of production-tier environment "live"/],
    ['emergency skips an unknown gate', 'environments: { s: { exit: [ { wait: 5m } ] } }\ntracks: { emergency: { skip: [s.exit.smoke] } }\n', /error tracks\.emergency\.skip\[0\]: s\.exit has no gate "smoke" \(gates: wait\)/],
    ['emergency skips nothing real', 'tracks: { emergency: { skip: [nowhere.entry] } }\n', /"nowhere\.entry" names no gates/],
    ['emergency skip ok', 'environments: { s: { exit: [ { wait: 5m } ] } }\ntracks: { emergency: { skip: [s.exit, s.exit.wait] } }\n', null],
    ['override unknown freeze', 'tracks: { emergency: { override_freezes: [weekend] } }\n', /error tracks\.emergency\.override_freezes\[0\]: no freeze named "weekend"/],
    ['emergency approval group', 'tracks: { emergency: { approval: { from: [sre] } } }\n', /tracks\.emergency\.approval\.from: "sre" is neither/],
  ])('%s', (_name, yaml, expected) => {
    const problems = check(yaml);
    if (expected === null) expect(problems).toEqual([]);
    else expect(problems.some((line) => expected.test(line)), problems.join('\n')).toBe(true);
  });

  it('places lint findings at the offending value', () => {
    const { problems } = parseConfig(`${GROUPS}phases:\n  deploy:\n    order: [staging, qa]\nenvironments:\n  staging: {}\n`, 'r.yaml');
    expect(problems.map(formatProblem)).toEqual(['r.yaml:6:22  phases.deploy.order[1]  "qa" is not defined under environments (defined: staging)']);
  });
});

describe('gates that could silently do nothing', () => {
  const FREEZES = (freezes: string): string => `calendars:\n  freezes:\n${freezes}`;
  const WINDOW = (from: string, to: string, days = '[mon]'): string => `calendars:\n  windows:\n    w: { days: ${days}, from: "${from}", to: "${to}" }\n`;
  const GATES = (side: string, gates: string): string => `phases:\n  build:\n    ${side}:\n${gates}`;
  const SIGNOFF = '{ approval: { id: signoff, rules: [ { from: rm } ] } }';
  const LIST = 'checklist: { id: go, who: rm, items: [ { id: a, text: t } ] }';

  it.each<[string, string, RegExp | null]>([
    // 1. a one-off freeze that ends before (or when) it starts
    ['freeze ends before it starts', FREEZES('    f: { from: "2026-11-30T02:00", to: "2026-11-29T20:00" }\n'), /^error calendars\.freezes\.f\.to: freeze "f" ends \(2026-11-29T20:00\) before it starts \(2026-11-30T02:00\): it would never be active$/],
    ['freeze ends when it starts', FREEZES('    f: { from: "2026-11-30T02:00", to: "2026-11-30T02:00:00" }\n'), /^error calendars\.freezes\.f\.to: freeze "f" ends .*: it would never be active$/],
    ['freeze of one minute', FREEZES('    f: { from: "2026-11-30T02:00", to: "2026-11-30T02:01" }\n'), null],
    ['freeze across a year', FREEZES('    f: { from: "2026-12-31T20:00", to: "2027-01-01T08:00" }\n'), null],
    // 2. date-times that are not on the calendar
    ['February 30th', FREEZES('    f: { from: "2026-02-30T00:00", to: "2026-03-02T00:00" }\n'), /^error calendars\.freezes\.f\.from: not a real date: February 2026 has 28 days, so 2026-02-30 does not exist$/],
    ['month 13', FREEZES('    f: { from: "2026-12-01T00:00", to: "2026-13-01T00:00" }\n'), /^error calendars\.freezes\.f\.to: not a real date: 2026-13-01T00:00 has no month 13$/],
    ['day 0', FREEZES('    f: { from: "2026-12-00T00:00", to: "2026-12-02T00:00" }\n'), /^error calendars\.freezes\.f\.from: not a real date: December 2026 has 31 days/],
    ['24:00', FREEZES('    f: { from: "2026-12-01T08:00", to: "2026-12-01T24:00" }\n'), /^error calendars\.freezes\.f\.to: not a real time: 24:00 \(.*write 00:00 of the next day\)$/],
    ['minute 60', FREEZES('    f: { from: "2026-12-01T08:60", to: "2026-12-02T00:00" }\n'), /^error calendars\.freezes\.f\.from: not a real time: 08:60/],
    ['not a leap year', FREEZES('    f: { from: "2027-02-29T00:00", to: "2027-03-02T00:00" }\n'), /not a real date: February 2027 has 28 days/],
    ['a leap year', FREEZES('    f: { from: "2028-02-29T00:00", to: "2028-03-01T00:00:59" }\n'), null],
    ['2100 is no leap year', FREEZES('    f: { from: "2100-02-29T00:00", to: "2100-03-01T00:00" }\n'), /February 2100 has 28 days/],
    ['2000 was a leap year', FREEZES('    f: { from: "2000-02-29T00:00", to: "2000-03-01T00:00" }\n'), null],
    // 3. a recurring freeze that starts and ends at the same moments
    ['same cron twice', FREEZES('    f: { start: "0 16 * * FRI", end: "0 16 * * FRI" }\n'), /^error calendars\.freezes\.f\.end: freeze "f" starts and ends at the same moments \("0 16 \* \* FRI"\): relmgr would read it as never active/],
    ['same schedule, spelled differently', FREEZES('    f: { start: "0 16 * * 5", end: "0  16 * * fri" }\n'), /calendars\.freezes\.f\.end: .*never active/],
    ['a weekend freeze', FREEZES('    f: { start: "0 16 * * FRI", end: "0 8 * * MON" }\n'), null],
    // 4. gate ids used twice
    ['approval id twice in a list', GATES('entry', `      - ${SIGNOFF}\n      - ${SIGNOFF}\n`), /^error phases\.build\.entry\[1\]\.approval\.id: approval "signoff" is listed twice in phases\.build\.entry \(first at phases\.build\.entry\[0\]\): `relmgr approve --gate signoff` could only ever decide the first/],
    ['default approval id twice', GATES('entry', '      - approval: { rules: [ { from: rm } ] }\n      - approval: { rules: [ { from: solo } ] }\n'), /^error phases\.build\.entry\[1\]\.approval\.id: approval "approval" is listed twice/],
    ['checklist id twice in a list', GATES('exit', `      - ${LIST}\n      - ${LIST}\n`), /^error phases\.build\.exit\[1\]\.checklist\.id: checklist "go" is listed twice .*`relmgr attest --checklist go`/],
    ['check twice in a list', `checks: { smoke: { run: x } }\n${GATES('exit', '      - check: smoke\n      - check: smoke\n')}`, /^warning phases\.build\.exit\[1\]\.check: check "smoke" is listed twice in phases\.build\.exit/],
    ['freeze twice in a list', `${FREEZES('    f: { start: "0 16 * * FRI", end: "0 8 * * MON" }\n')}${GATES('entry', '      - freeze: f\n      - freeze: [f]\n')}`, /^warning phases\.build\.entry\[1\]\.freeze\[0\]: freeze "f" is listed twice/],
    ['freeze twice in one gate', `${FREEZES('    f: { start: "0 16 * * FRI", end: "0 8 * * MON" }\n')}${GATES('entry', '      - freeze: [f, f]\n')}`, /^warning phases\.build\.entry\[0\]\.freeze\[1\]: freeze "f" is listed twice/],
    ['window twice in a list', `${WINDOW('09:00', '17:00')}${GATES('entry', '      - window: w\n      - window: w\n')}`, /^warning phases\.build\.entry\[1\]\.window: window "w" is listed twice/],
    ['wait twice in a list', GATES('entry', '      - wait: 5m\n      - wait: 1h\n'), /^warning phases\.build\.entry\[1\]\.wait: a wait is listed twice .*only the longer counts/],
    ['same approval id in two phases', `${GATES('entry', `      - ${SIGNOFF}\n`)}  plan:\n    exit:\n      - ${SIGNOFF}\n`, /^warning phases\.\w+\.\w+\[0\]\.approval\.id: approval id "signoff" is also used at phases\.\w+\.\w+\[0\]: `relmgr approve --gate signoff` is ambiguous/],
    ['same checklist id in two phases', `${GATES('entry', `      - ${LIST}\n`)}  plan:\n    exit:\n      - ${LIST}\n`, /^warning phases\.\w+\.\w+\[0\]\.checklist\.id: checklist id "go" is also used at/],
    ['same approval id at one environment entry and exit', `environments: { p: { entry: [ ${SIGNOFF} ], exit: [ ${SIGNOFF} ] } }\n`, /^warning environments\.p\.exit\[0\]\.approval\.id: approval id "signoff" is also used at environments\.p\.entry\[0\]/],
    ['same approval id in two environments (--env tells them apart)', `environments: { s: { entry: [ ${SIGNOFF} ] }, p: { entry: [ ${SIGNOFF} ] } }\n`, null],
    ['same approval id in a phase and an environment', `${GATES('entry', `      - ${SIGNOFF}\n`)}environments: { p: { entry: [ ${SIGNOFF} ] } }\n`, null],
    ['distinct ids', GATES('entry', `      - ${SIGNOFF}\n      - approval: { id: legal, rules: [ { from: rm } ] }\n      - ${LIST}\n      - wait: 5m\n`), null],
    ['an approval and a checklist may share an id', GATES('entry', `      - ${SIGNOFF}\n      - checklist: { id: signoff, who: rm, items: [ { id: a, text: t } ] }\n`), null],
    // 5. checklist item ids used twice
    ['checklist item twice', GATES('exit', '      - checklist: { id: go, who: rm, items: [ { id: a, text: t }, { id: b, text: u }, { id: a, text: v } ] }\n'), /^error phases\.build\.exit\[0\]\.checklist\.items\[2\]\.id: checklist item id "a" is already used by items\[0\]: `relmgr attest --checklist go --item a`/],
    // 6. windows that never open
    ['window closes when it opens', WINDOW('09:00', '09:00'), /^error calendars\.windows\.w\.to: window "w" closes at the time it opens \(09:00\)/],
    ['overnight window', WINDOW('22:00', '02:00'), null],
    ['window without days', WINDOW('09:00', '17:00', '[]'), /^error calendars\.windows\.w\.days: needs at least 1 item$/],
  ])('%s', (_name, yaml, expected) => {
    const problems = check(yaml);
    if (expected === null) expect(problems).toEqual([]);
    else expect(problems.some((line) => expected.test(line)), problems.join('\n')).toBe(true);
  });

  // 7. one mistake, one report; names pointed at inside their list
  it.each<[string, string, string[]]>([
    [
      'a freeze with a bad cron is not also "no freeze named"',
      `${FREEZES('    weekend: { start: "0 16 * * FRI", end: "0 99 * * MON" }\n')}${GATES('entry', '      - freeze: [weekend]\n')}`,
      ['r.yaml:6:44  calendars.freezes.weekend.end  invalid cron expression "0 99 * * MON": Invalid value for hour: 99'],
    ],
    [
      'a freeze with an impossible date is not also "no freeze named"',
      `${FREEZES('    f: { from: "2026-02-30T00:00", to: "2026-03-02T00:00" }\n')}${GATES('entry', '      - freeze: f\n')}tracks: { emergency: { override_freezes: [f] } }\n`,
      ['r.yaml:6:16  calendars.freezes.f.from  not a real date: February 2026 has 28 days, so 2026-02-30 does not exist'],
    ],
    [
      'a window with a bad time is not also "no window named"',
      `${WINDOW('9:00', '17:00')}${GATES('entry', '      - window: w\n')}`,
      ['r.yaml:6:29  calendars.windows.w.from  a time of day as HH:MM (24-hour), e.g. 09:00'],
    ],
    [
      'a check with a bad key is not also "no check named"',
      `checks: { smoke: { run: x, retry: 3 } }\n${GATES('exit', '      - check: smoke\n')}`,
      ['r.yaml:4:28  checks.smoke.retry  unknown key "retry" (allowed: run, timeout, retries, interval, stable_for, env, cwd)'],
    ],
    [
      'an unknown name is pointed at inside the list',
      `${FREEZES('    year-end: { from: "2026-12-18T00:00", to: "2027-01-04T00:00" }\n    weekend: { start: "0 16 * * FRI", end: "0 8 * * MON" }\n')}${GATES('entry', '      - freeze: [year-end, wekend]\n')}`,
      ['r.yaml:11:28  phases.build.entry[0].freeze[1]  no freeze under calendars.freezes named "wekend" (defined: year-end, weekend)'],
    ],
    [
      'a misspelt name next to a broken definition',
      `${FREEZES('    weekend: { start: "0 16 * * FRI", end: "0 99 * * MON" }\n')}${GATES('entry', '      - freeze: [weekend, year-end]\n')}`,
      ['r.yaml:6:44  calendars.freezes.weekend.end  invalid cron expression "0 99 * * MON": Invalid value for hour: 99', 'r.yaml:10:27  phases.build.entry[0].freeze[1]  no freeze under calendars.freezes named "year-end" (defined: weekend)'],
    ],
  ])('%s', (_name, yaml, expected) => {
    expect(parseConfig(GROUPS + yaml, 'r.yaml').problems.map(formatProblem)).toEqual(expected);
  });
});

describe('identities and the init placeholder', () => {
  it.each(['ci@localhost', 'jenkins@build-07', 'a.b+c@example.co.uk'])('groups may list %s', (email) => {
    expect(parseConfig(`groups:\n  rm: [${JSON.stringify(email)}]\n`, 'r.yaml').problems).toEqual([]);
  });

  it.each(['jenkins', 'a b@c', '<a@b>', '@host', 'name@'])('groups may not list %j', (email) => {
    const problems = parseConfig(`groups:\n  rm: [${JSON.stringify(email)}]\n`, 'r.yaml').problems;
    expect(problems.map((p) => `${p.severity} ${p.message}`)).toEqual(['error not an email address']);
  });

  it('warns about the placeholder relmgr init writes', () => {
    const problems = parseConfig('groups:\n  rm: [a@example.com, replace-me@example.invalid]\n', 'r.yaml').problems;
    expect(problems.map(formatProblem)).toEqual(['r.yaml:2:23  groups.rm[1]  warning: replace-me@example.invalid is the placeholder relmgr init wrote: replace it with the people who approve']);
    expect(problems[0]?.severity).toBe('warning');
  });
});
