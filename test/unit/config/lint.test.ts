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
    ['unknown freeze', 'environments: { a: { entry: [ { freeze: [xmas] } ] } }\n', /error environments\.a\.entry\[0\]\.freeze: no freeze under calendars\.freezes named "xmas"/],
    ['unknown group', 'phases: { plan: { exit: [ { approval: { rules: [ { from: admins } ] } } ] } }\n', /error phases\.plan\.exit\[0\]\.approval\.rules\[0\]\.from: "admins" is neither an email nor a group/],
    ['checklist group', 'phases: { plan: { exit: [ { checklist: { id: c, who: nobody, items: [ { id: i, text: t } ] } } ] } }\n', /error .*checklist\.who: "nobody" is neither/],
    ['min above eligible', 'environments: { p: { entry: [ { approval: { rules: [ { from: rm, min: 3 } ] } } ] } }\n', /error environments\.p\.entry\[0\]\.approval\.rules\[0\]\.min: needs 3 approvals but only 2 people are eligible: the gate could never pass/],
    ['min of every eligible person, initiator excluded', 'environments: { p: { entry: [ { approval: { rules: [ { from: rm, min: 2 } ] } } ] } }\n', /warning environments\.p\.entry\[0\]\.approval\.rules\[0\]\.min: needs all 2 eligible people, and the release initiator may not approve \(allow_self: false\): a release planned by one of them could never pass/],
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
