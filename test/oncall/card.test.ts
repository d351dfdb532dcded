import { EXAMPLE_ORG_FILE, loadOrgFile } from '../../src/org/load';
import { findService } from '../../src/org/services';
import { expertsCard } from '../../src/oncall/card';
import { fileOnCallSource } from '../../src/oncall/file-source';
import { directory } from '../../src/oncall/source';
import { adaptiveCardErrors } from '../harness/schemas';

const org = loadOrgFile(EXAMPLE_ORG_FILE);
const source = fileOnCallSource(org);
const facts = (card: any) => Object.fromEntries(card.body.filter((b: any) => b.type === 'FactSet').flatMap((f: any) => f.facts.map((x: any) => [x.title, x.value])));

describe('the experts card from the example file', () => {
  it('at the first hand-over after spring-forward: Megan now, Adele next, times in UTC and Berlin', async () => {
    const payments = findService(org.services, 'payments')!;
    const [entry] = await directory(org, source, new Date('2026-03-30T07:00:00Z'), payments);
    const card = expertsCard(entry, org.people.find((p) => p.id === 'pattif'));
    expect(adaptiveCardErrors(card)).toEqual([]);
    expect(facts(card)).toEqual({
      'On call now': 'Megan Bowen (meganb@firebreak.test) until 2026-04-06 07:00 UTC (Mon 09:00 Europe/Berlin)',
      Next: 'Adele Vance (adelev@firebreak.test) from 2026-04-06 07:00 UTC (Mon 09:00 Europe/Berlin)',
      Escalation: 'Patti Fernandez (pattif@firebreak.test)',
      Team: 'Payments',
      identity: 'Adele Vance (adelev@firebreak.test)',
    });
  });

  it('escapes what the file says (Markdown in a description stays text)', async () => {
    const search = { ...findService(org.services, 'search')!, description: '*Search* [click](https://evil.example)' };
    const [entry] = await directory({ ...org, services: [search] }, source, new Date('2026-03-08T12:00:00Z'), search);
    const card = expertsCard(entry, undefined);
    expect((card.body[1] as { text: string }).text).toBe('\\*Search\\* \\[click\\](https://evil.example)');
    expect(facts(card)['On call now']).toBe('Lynne Robbins (lynner@firebreak.test) until 2026-03-08 12:30 UTC (Sun 08:30 America/New\\_York)'); // escaped for Markdown
  });
});
