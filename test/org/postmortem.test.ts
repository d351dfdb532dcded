import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { EXAMPLE_ORG_FILE, loadOrgFile } from '../../src/org/load';
import { postmortemTerms } from '../../src/postmortem/terms';

const file = path.join(tmpdir(), `firebreak-org-postmortem-${randomUUID()}.yml`);
afterAll(() => rmSync(file, { force: true }));
const withSection = (section: string) => {
  writeFileSync(file, `${readFileSync(EXAMPLE_ORG_FILE, 'utf8')}\npostmortem:\n${section}`);
  return () => loadOrgFile(file);
};

test('the postmortem section: leadership, due working days and time zone; defaults without it', () => {
  const org = withSection('  leadership: [pattif]\n  due_working_days: 3\n  time_zone: Asia/Tokyo\n')();
  expect(org.postmortem).toEqual({ leadership: ['pattif'], dueWorkingDays: 3, timeZone: 'Asia/Tokyo' });
  expect(postmortemTerms({ org, provisioning: ['doc'] })).toEqual({ dueWorkingDays: 3, timeZone: 'Asia/Tokyo', doc: true });
  const plain = loadOrgFile(EXAMPLE_ORG_FILE);
  expect(plain.postmortem).toEqual({ leadership: [], dueWorkingDays: 5 });
  expect(postmortemTerms({ org: plain })).toEqual({ dueWorkingDays: 5, timeZone: plain.statusPage.timeZone, doc: false });
});

test('an unknown leader or time zone stops the start with where it is written', () => {
  const load = withSection('  leadership: [pattif, nobody]\n  time_zone: Mars/Olympus\n');
  expect(load).toThrow(/unknown person "nobody" as engineering leadership/);
  expect(load).toThrow(/:\d+:\d+ unknown time zone "Mars\/Olympus"/);
  expect(withSection('  due_working_days: 0\n')).toThrow(/due_working_days/);
});
