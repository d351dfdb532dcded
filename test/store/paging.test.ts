import { randomUUID } from 'node:crypto';
import { createPaging } from '../../src/paging/pages';
import { fileOnCallSource } from '../../src/oncall/file-source';
import type { Service } from '../../src/org/services';
import type { OrgFile } from '../../src/org/schema';
import { onTwoReplicas } from '../harness/replicas';

/** "Paging the same service twice within the window does not notify twice", held by the store across replicas. */
const people = [
  { id: 'meganb', name: 'Megan Bowen', email: 'meganb@firebreak.test' },
  { id: 'pattif', name: 'Patti Fernandez', email: 'pattif@firebreak.test' },
];
const service = (name: string): Service => ({ name, aliases: [], dependsOn: [], statusPage: 'ask', experts: { kind: 'fixed', people: ['meganb'] }, escalation: 'pattif', paging: { ackMinutes: 5 } });
const org = (name: string) => ({ people, services: [service(name)] }) as unknown as OrgFile;
const ALICE = { id: '29:alice', name: 'Alice Adams' };

onTwoReplicas('paging', (stores) => {
  const pagingOn = (i: 0 | 1, name: string, now: () => Date) => createPaging({ store: stores()[i], experts: { org: org(name), source: fileOnCallSource(org(name)) }, now, newId: randomUUID, wake: () => undefined });

  test('two replicas paging one service at once: one page, one notification; the other is told of the first', async () => {
    const name = `svc-${randomUUID().slice(0, 8)}`;
    const now = () => new Date('2026-03-02T10:00:00.000Z');
    const outcomes = await Promise.all([pagingOn(0, name, now).request({ service: service(name), reason: 'a', by: ALICE }), pagingOn(1, name, now).request({ service: service(name), reason: 'b', by: ALICE })]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['already', 'paged']);
    const paged = outcomes.find((o) => o.kind === 'paged')! as { page: { id: string } };
    expect((outcomes.find((o) => o.kind === 'already') as { page: { id: string } }).page.id).toBe(paged.page.id);
    const notifies = (await stores()[0].effects()).filter((e) => e.kind === 'page.notify' && (e.payload as { pageId: string }).pageId === paged.page.id);
    expect(notifies).toHaveLength(1);
  });

  test('acknowledged: paged again within the window finds it; after the window a new page goes out', async () => {
    const name = `svc-${randomUUID().slice(0, 8)}`;
    let t = Date.parse('2026-03-02T11:00:00.000Z');
    const paging = pagingOn(0, name, () => new Date(t));
    const first = await paging.request({ service: service(name), reason: '', by: ALICE });
    if (first.kind !== 'paged') throw new Error(first.kind);
    t += 60_000;
    expect((await paging.answer({ pageId: first.page.id, step: 0, personId: 'meganb', answer: 'ack', by: { id: '29:megan', name: 'Megan Bowen' } })).kind).toBe('paged');
    t += 60_000;
    expect(await paging.request({ service: service(name), reason: '', by: ALICE })).toMatchObject({ kind: 'already', page: { id: first.page.id, status: 'acknowledged' } });
    t += 4 * 60_000;
    expect((await paging.request({ service: service(name), reason: '', by: ALICE })).kind).toBe('paged');
  });
});
