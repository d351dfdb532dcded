import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PLAYGROUND_PEOPLE, PLAYGROUND_USER } from '../../src/local/people';

/** The emulators' people (src/local/people.ts) are the Agents Playground's (src/local/playground.yml), the first its current user. */
test('the Playground configuration names the same people, with the same addresses and ids', () => {
  const yml = readFileSync(path.resolve(__dirname, '../../src/local/playground.yml'), 'utf8');
  const currentUser = /^currentUser:\n((?: .*\n)+)/m.exec(yml)![1];
  expect(currentUser).toContain(`name: ${PLAYGROUND_USER.name}\n`);
  expect(currentUser).toContain(`email: ${PLAYGROUND_USER.email}\n`);
  expect(currentUser).toContain(`aadObjectId: ${PLAYGROUND_USER.aadObjectId}\n`);
  const users = [...yml.matchAll(/^ {2}- \{ .*name: ([^,]+), .*aadObjectId: ([^,]+), .*email: ([^ }]+) \}$/gm)].map((m) => ({ name: m[1], email: m[3], aadObjectId: m[2] }));
  expect([PLAYGROUND_PEOPLE[0], ...users]).toEqual([...PLAYGROUND_PEOPLE]);
});
