import { randomUUID } from 'node:crypto';
import { createIncidents } from '../../src/app/incidents';
import { declareCommand } from '../domain/fixtures';
import { onTwoReplicas } from '../harness/replicas';

/**
 * The status page's subscribers, on each store backend: double opt-in, single-use confirmation links, and one mail
 * intent per confirmed subscriber of an affected component, recorded with the publication and never twice.
 */
onTwoReplicas('status subscribers', (stores) => {
  const at = '2026-03-15T10:00:00.000Z';
  const secret = () => randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '');

  async function subscribed(email: string, components: string[], confirm = true): Promise<string> {
    const [a] = stores();
    const newId = randomUUID();
    const confirmSecret = secret();
    await a.statusSubscribers.request({ email, components, newId, confirmSecret, unsubscribeSecret: secret(), expiresAt: '2026-03-16T10:00:00.000Z', at });
    if (confirm) expect(await stores()[1].statusSubscribers.confirm(newId, confirmSecret, at)).toBe(true);
    return newId;
  }

  test('a confirmation link works once, only with its secret, and not after it expires', async () => {
    const [a, b] = stores();
    const id = randomUUID();
    const confirmSecret = secret();
    await a.statusSubscribers.request({ email: `${id}@example.com`, components: ['checkout'], newId: id, confirmSecret, unsubscribeSecret: secret(), expiresAt: '2026-03-15T11:00:00.000Z', at });
    expect(await b.statusSubscribers.confirm(id, confirmSecret.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')), at)).toBe(false);
    expect(await b.statusSubscribers.confirm(id, confirmSecret, '2026-03-15T11:00:01.000Z')).toBe(false);
    expect((await b.statusSubscribers.get(id))!.confirmed).toBe(false);
    expect(await b.statusSubscribers.confirm(id, confirmSecret, at)).toBe(true);
    expect(await b.statusSubscribers.confirm(id, confirmSecret, at)).toBe(false);
    expect(await a.statusSubscribers.get(id)).toMatchObject({ confirmed: true, components: ['checkout'], confirmSecret: null });
    const effects = (await a.effects()).filter((e) => e.kind === 'status.mail' && (e.payload as { subscriberId: string }).subscriberId === id);
    expect(effects.map((e) => (e.payload as { what: string }).what)).toEqual(['confirm']);
  });

  test('a publication records one mail per confirmed subscriber of an affected component, once', async () => {
    const [a, b] = stores();
    const tag = randomUUID().slice(0, 8);
    const checkout = await subscribed(`checkout-${tag}@example.com`, ['checkout']);
    const all = await subscribed(`all-${tag}@example.com`, []);
    const search = await subscribed(`search-${tag}@example.com`, ['search']);
    const pending = await subscribed(`pending-${tag}@example.com`, ['checkout'], false);
    await a.statusPage.ensureComponents(['checkout', 'search'], at);
    const incidentId = randomUUID();
    const { number: _number, ...declare } = declareCommand({ incidentId, title: 'Checkout slow', at });
    await createIncidents(a).declare(declare);
    const publication = { incidentId, newPublicId: `p${tag}`, name: 'Investigating', status: 'investigating' as const, impact: 'major' as const, startedAt: at, update: { id: `u${tag}`, body: 'Slow.' }, components: [{ id: 'checkout', status: 'partial_outage' as const }], at };
    expect(await a.statusPage.publish(publication)).not.toBe('duplicate');
    expect(await b.statusPage.publish(publication)).toBe('duplicate');
    const mailed = (await a.effects())
      .filter((e) => e.key.startsWith(`status.mail:update:u${tag}:`))
      .map((e) => (e.payload as { subscriberId: string }).subscriberId)
      .sort();
    // Other tests' subscribers share the store: what matters is who of these four is in, and that nobody is twice.
    expect(mailed).toEqual(expect.arrayContaining([checkout, all]));
    expect(new Set(mailed).size).toBe(mailed.length);
    expect(mailed).not.toContain(search);
    expect(mailed).not.toContain(pending);
    expect(await a.statusPage.update(`u${tag}`)).toMatchObject({ name: 'Investigating', body: 'Slow.', status: 'investigating' });
  });

  test('unsubscribing needs the secret and forgets the address', async () => {
    const [a, b] = stores();
    const id = await subscribed(`leaving-${randomUUID().slice(0, 8)}@example.com`, []);
    const { unsubscribeSecret } = (await a.statusSubscribers.get(id))!;
    expect(await b.statusSubscribers.unsubscribe(id, secret())).toBe(false);
    expect(await b.statusSubscribers.unsubscribe(id, unsubscribeSecret)).toBe(true);
    expect(await a.statusSubscribers.get(id)).toBeUndefined();
  });
});
