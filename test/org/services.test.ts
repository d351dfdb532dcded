import { readFileSync } from 'node:fs';
import { EXAMPLE_ORG_FILE, loadOrgFile, OrgFileError, parseOrgFile } from '../../src/org/load';
import { findService } from '../../src/org/services';
import { PLAYGROUND_PEOPLE } from '../../src/local/people';

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

describe('the services directory in the organisation file', () => {
  it('the example lists checkout, payments and search with experts from the Playground people', () => {
    const org = loadOrgFile(EXAMPLE_ORG_FILE);
    expect(org.services.map((s) => s.name)).toEqual(expect.arrayContaining(['checkout', 'payments', 'search']));
    expect(org.people.map((p) => ({ name: p.name, email: p.email, aadObjectId: p.aadObjectId }))).toEqual(PLAYGROUND_PEOPLE);
    expect(findService(org.services, 'PSP')?.name).toBe('payments');
    expect(findService(org.services, 'nope')).toBeUndefined();
  });

  it('an unknown dependency is named at its line and column', () => {
    const source = edited('depends_on: [identity]', 'depends_on: [ledger]');
    expect(problems(source)).toEqual([`${where(source, 'ledger')} unknown dependency "ledger" of "payments" (services: checkout, payments, search, identity)`]);
  });

  it('a dependency cycle is named where it closes', () => {
    const source = edited('    team: Platform\n', '    team: Platform\n    depends_on: [checkout]\n');
    expect(problems(source)).toEqual([`${where(source, 'checkout]', 'team: Platform')} dependency cycle: checkout -> payments -> identity -> checkout`]);
  });

  it('an empty rotation, a bad time zone, a start off the hand-over day and an unknown person are each named', () => {
    let source = edited('members: [meganb, adelev, isaiahl]', 'members: []');
    expect(problems(source)).toEqual([`${where(source, '[]', 'members: []')} the rotation of "payments" is empty: name its members`]);
    source = edited('time_zone: Europe/Berlin', 'time_zone: Europe/Berlim');
    expect(problems(source)).toEqual([`${where(source, 'Europe/Berlim')} unknown time zone "Europe/Berlim" (an IANA name, e.g. Europe/Berlin)`]);
    source = edited('start: "2026-01-05"', 'start: "2026-01-06"');
    expect(problems(source)).toEqual([`${where(source, '"2026-01-06"')} the rotation starts on a tuesday, not on its hand-over day (monday)`]);
    source = edited('people: [alexw, lynner]', 'people: [alexw, lynne]');
    expect(problems(source)).toEqual([expect.stringMatching(new RegExp(`^${where(source, 'lynne]')} unknown person "lynne" as an expert of "checkout"`))]);
  });

  it('an alias that already names another service is refused', () => {
    const source = edited('aliases: [catalog]', 'aliases: [catalog, pay]');
    expect(problems(source)).toEqual([`${where(source, 'pay]', 'aliases: [catalog')} "pay" already names the service "payments"`]);
  });
});
