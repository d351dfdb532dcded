/**
 * The people of the Agents Playground's mock tenant (src/local/playground.yml, which must say the same: a unit test
 * compares them), for the emulators that stand in for their other accounts in local mode: their Microsoft Entra
 * users in the Graph emulator, their Google accounts in the Google sandbox (same address, as in an organisation that
 * uses both), and who edits the sandbox doc. The first one is the Playground's current user.
 */
export interface PlaygroundPerson {
  name: string;
  email: string;
  aadObjectId: string;
}

export const PLAYGROUND_PEOPLE: readonly PlaygroundPerson[] = [
  { name: 'Alex Wilber', email: 'alexw@firebreak.test', aadObjectId: '00000000-0000-0000-0000-000000000020' },
  { name: 'Megan Bowen', email: 'meganb@firebreak.test', aadObjectId: '00000000-0000-0000-0000-000000000021' },
  { name: 'Adele Vance', email: 'adelev@firebreak.test', aadObjectId: '00000000-0000-0000-0000-000000000022' },
  { name: 'Isaiah Langer', email: 'isaiahl@firebreak.test', aadObjectId: '00000000-0000-0000-0000-000000000023' },
  { name: 'Patti Fernandez', email: 'pattif@firebreak.test', aadObjectId: '00000000-0000-0000-0000-000000000024' },
  { name: 'Lynne Robbins', email: 'lynner@firebreak.test', aadObjectId: '00000000-0000-0000-0000-000000000025' },
];

/** The person using the Playground (its `currentUser`). */
export const PLAYGROUND_USER = PLAYGROUND_PEOPLE[0];
