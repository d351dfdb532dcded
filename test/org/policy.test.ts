import { readFileSync } from 'node:fs';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import { EXAMPLE_ORG_FILE, loadOrgFile, OrgFileError, parseOrgFile } from '../../src/org/load';
import { incidentManagers } from '../../src/org/policy';

const EXAMPLE = readFileSync(EXAMPLE_ORG_FILE, 'utf8');

function problems(source: string): string[] {
  try {
    parseOrgFile(source, 'org.yml');
    return [];
  } catch (err) {
    if (err instanceof OrgFileError) return err.problems;
    throw err;
  }
}
const edited = (find: string, replace: string) => {
  expect(EXAMPLE).toContain(find);
  return EXAMPLE.replace(find, replace);
};
/** `org.yml:<line>:<col>` of the first occurrence of `text` at or after the line containing `after`. */
function where(source: string, text: string, after = text): string {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l.includes(after));
  const i = lines.findIndex((l, n) => n >= start && l.includes(text));
  return `org.yml:${i + 1}:${lines[i].indexOf(text) + 1}`;
}
const withoutPolicy = EXAMPLE.replace(/\npolicy:\n(  .*\n|    .*\n)*/, '\n');

describe('the policy section of the organisation file', () => {
  it('the example writes out today\'s values, and names an incident manager from its people', () => {
    const org = loadOrgFile(EXAMPLE_ORG_FILE);
    expect(org.policy.policy).toEqual({ ...DEFAULT_POLICY, timeZone: 'Etc/UTC' }); // the status page's zone
    expect(incidentManagers(org).map((p) => p.name)).toEqual(['Patti Fernandez']);
  });

  it('every value is optional: no section at all is today\'s practice', () => {
    expect(withoutPolicy).not.toContain('policy:');
    const org = parseOrgFile(withoutPolicy, 'org.yml');
    expect(org.policy).toEqual({ policy: { ...DEFAULT_POLICY, timeZone: 'Etc/UTC' }, managers: [] });
  });

  it('what the file says overrides the default, the rest stays', () => {
    const source = `${withoutPolicy.trimEnd()}\n\npolicy:\n  time_zone: Europe/Berlin\n  severities:\n    1: { meaning: "SEV-A: all hands" }\n    3: { update_every_minutes: 90, roles: [comms, sme] }\n  break_minutes: 20\n`;
    const { policy } = parseOrgFile(source, 'org.yml').policy;
    expect(policy).toEqual({
      ...DEFAULT_POLICY,
      severityMeaning: { ...DEFAULT_POLICY.severityMeaning, 1: 'SEV-A: all hands' },
      cadenceMinutes: { ...DEFAULT_POLICY.cadenceMinutes, 3: 90 },
      requiredRoles: { ...DEFAULT_POLICY.requiredRoles, 3: ['comms', 'sme'] },
      breakMinutes: 20,
      timeZone: 'Europe/Berlin',
    });
  });

  it('an unknown manager, a bad number, an unknown role or severity, a bad time zone: each at its line and column', () => {
    let source = edited('incident_managers: [pattif]', 'incident_managers: [pattyf]');
    expect(problems(source)).toEqual([expect.stringMatching(new RegExp(`^${where(source, 'pattyf]')} unknown person "pattyf" as an incident manager \\(not in people: alexw`))]);
    source = edited('break_minutes: 15', 'break_minutes: 0');
    expect(problems(source)).toEqual([`${where(source, '0', 'break_minutes: 0')} policy.break_minutes must be >= 1`]);
    source = edited('handoff_after_minutes: 180', 'handoff_after_minutes: 2.5');
    expect(problems(source)).toEqual([`${where(source, '2.5')} policy.handoff_after_minutes must be integer`]);
    source = edited('update_every_minutes: 240', 'update_every_minutes: 2');
    expect(problems(source)).toEqual([`${where(source, '2 }', 'update_every_minutes: 2 }')} policy.severities.4.update_every_minutes must be >= 5`]);
    source = edited('roles: [business] }\n    3', 'roles: [ceo] }\n    3');
    expect(problems(source)).toEqual([`${where(source, 'ceo')} policy.severities.2.roles.0 must be equal to one of the allowed values`]);
    source = edited('    4: { meaning', '    5: { meaning: "x" }\n    4: { meaning');
    expect(problems(source)).toEqual([`${where(source, '5:')} unknown key "5" in policy.severities`]);
    source = edited('  break_minutes: 15', '  time_zone: Mars/Olympus\n  break_minutes: 15');
    expect(problems(source)).toEqual([`${where(source, 'Mars/Olympus')} unknown time zone "Mars/Olympus" (an IANA name, e.g. Europe/Berlin)`]);
  });
});
