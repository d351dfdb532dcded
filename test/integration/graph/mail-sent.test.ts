import https from 'node:https';
import { createIncidents } from '../../../src/app/incidents';
import { EFFECT_KEY_PROPERTY } from '../../../src/graph/mail';
import { createLogger } from '../../../src/log';
import type { GraphEmulator } from '../../../src/sandbox/graph/server';
import { openStore } from '../../../src/store/open';
import type { Store } from '../../../src/store/store';
import { mailSend } from '../../../src/workers/effects/mail-send';
import { createRunner } from '../../../src/workers/runner';
import { declareCommand } from '../../domain/fixtures';
import { eventually } from '../../harness/firebreak';
import { ALL_ROLES, CLIENT_ID, graphFor, SECRET, SENDER, startEmulator, TENANT } from './setup';

/**
 * sendMail has no idempotency key. The effect key rides on the message as an extended property, and before sending
 * again Firebreak looks it up in Sent Items: `$filter=singleValueExtendedProperties/Any(ep: ep/id eq '…' and
 * ep/value eq '…')` (Graph: singlevaluelegacyextendedproperty-get), with Mail.Read.
 */
let emulator: GraphEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ roles: [...ALL_ROLES, 'Mail.Read'] });
});
afterAll(() => emulator.close());

const mail = (key: string) => ({ sender: SENDER, to: ['incidents@contoso.test'], subject: 'INC-1: Checkout', text: 'Severity 2.', key });

test('a sent mail is found in Sent Items by its key; another key is not', async () => {
  const graph = graphFor(emulator);
  await graph.sendMail(mail('mail.send:inc-1:declaration'));
  expect(emulator.mailbox().at(-1)).toMatchObject({ extendedProperties: [{ id: EFFECT_KEY_PROPERTY, value: 'mail.send:inc-1:declaration' }] });
  expect(await graph.findSentMail(SENDER, 'mail.send:inc-1:declaration')).toBe('sent');
  expect(await graph.findSentMail(SENDER, 'mail.send:inc-1:other')).toBe('not-found');
});

test('the emulator filters as Exchange does: the value without regard to case, the property name with it', async () => {
  await graphFor(emulator).sendMail(mail('Mail.Send:Case'));
  const sentItems = (filter: string) => raw('GET', `/v1.0/users/${SENDER}/mailFolders/SentItems/messages?$filter=${encodeURIComponent(filter)}&$select=id,subject`);
  const byKey = (id: string, value: string) => sentItems(`singleValueExtendedProperties/Any(ep: ep/id eq '${id}' and ep/value eq '${value}')`);

  const found = await byKey(EFFECT_KEY_PROPERTY, 'mail.send:case');
  expect(found.status).toBe(200);
  expect(found.body.value).toEqual([{ id: expect.any(String), subject: 'INC-1: Checkout' }]); // the property itself is not returned
  expect((await byKey(EFFECT_KEY_PROPERTY.replace('FirebreakEffectKey', 'firebreakeffectkey'), 'Mail.Send:Case')).body.value).toEqual([]);
  // What the emulator does not implement is refused by name, never ignored.
  expect((await sentItems(`singleValueExtendedProperties/Any(ep: ep/id eq '${EFFECT_KEY_PROPERTY}' and contains(ep/value, 'case'))`)).status).toBe(501);
  expect((await raw('GET', `/v1.0/users/${SENDER}/mailFolders/inbox/messages`)).status).toBe(501);
});

test('a mail sent with saveToSentItems false leaves no copy to find', async () => {
  const sent = await raw('POST', `/v1.0/users/${SENDER}/sendMail`, {
    message: { subject: 'x', toRecipients: [{ emailAddress: { address: 'a@contoso.test' } }], singleValueExtendedProperties: [{ id: EFFECT_KEY_PROPERTY, value: 'unsaved' }] },
    saveToSentItems: false,
  });
  expect(sent.status).toBe(202);
  expect(await graphFor(emulator).findSentMail(SENDER, 'unsaved')).toBe('not-found');
});

test('an extended property id in no format Exchange knows is a 400', async () => {
  const sent = await raw('POST', `/v1.0/users/${SENDER}/sendMail`, {
    message: { subject: 'x', toRecipients: [{ emailAddress: { address: 'a@contoso.test' } }], singleValueExtendedProperties: [{ id: 'FirebreakEffectKey', value: 'k' }] },
  });
  expect(sent.status).toBe(400);
});

test('without Mail.Read the lookup cannot tell, and says so rather than guessing', async () => {
  const narrow = await startEmulator({ roles: ALL_ROLES });
  try {
    const graph = graphFor(narrow);
    await graph.sendMail(mail('mail.send:inc-2:declaration'));
    expect(await graph.findSentMail(SENDER, 'mail.send:inc-2:declaration')).toBe('unknown');
  } finally {
    await narrow.close();
  }
});

describe('the mail effect', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore('pglite:memory');
  }, 60_000);
  afterAll(() => store.close());

  test("a 202 lost on the way back (the connection dropped after Graph took the mail) sends one mail, not two", async () => {
    const now = () => new Date();
    const incidents = createIncidents(store);
    const graph = graphFor(emulator);
    const runner = createRunner({
      store,
      log: createLogger('error', () => undefined),
      now,
      backoffMs: () => 10,
      handlers: {
        'card.post': async () => undefined,
        'mail.send': mailSend({ store, graph, sender: SENDER, to: ['incidents@contoso.test'], waitForLinksMs: 0, sentCopyWaitMs: 0, now }),
      },
    });
    const { number, ...declare } = declareCommand({ incidentId: 'mail-lost-202', mail: true, title: 'Lost answer', at: now().toISOString() });
    void number;
    await incidents.declare(declare);
    emulator.fault({ match: /sendMail$/, drop: 'after', times: 1 });
    runner.start();
    const effect = await eventually(async () => (await store.effects({ incidentId: 'mail-lost-202' })).find((e) => e.kind === 'mail.send' && e.outcome), 'the mail effect settled');
    await runner.stop();

    expect(effect).toMatchObject({ outcome: 'done', attempts: 2 });
    expect(emulator.mailbox().filter((m) => m.subject.includes('Lost answer'))).toHaveLength(1);
  });

  test('a send Graph refused outright (a 400) leaves no send marked as under way (a retry would not wait on Sent Items)', async () => {
    const now = () => new Date();
    const incidents = createIncidents(store);
    const graph = graphFor(emulator);
    const runner = createRunner({
      store,
      log: createLogger('error', () => undefined),
      now,
      backoffMs: () => 10,
      handlers: {
        'card.post': async () => undefined,
        'mail.send': mailSend({ store, graph, sender: SENDER, to: ['incidents@contoso.test'], waitForLinksMs: 0, now }),
      },
    });
    const { number, ...declare } = declareCommand({ incidentId: 'mail-refused', mail: true, title: 'Refused once', at: now().toISOString() });
    void number;
    await incidents.declare(declare);
    emulator.fault({ match: /sendMail$/, status: 400, times: 1 });
    // A 400 is permanent: the effect is given up, with no send left marked as under way.
    runner.start();
    const failed = await eventually(async () => (await store.effects({ incidentId: 'mail-refused' })).find((e) => e.kind === 'mail.send' && e.outcome), 'the refused mail settled');
    await runner.stop();
    expect(failed).toMatchObject({ outcome: 'failed' });
    expect((failed.payload as { sending?: string | null }).sending ?? null).toBeNull();
  });
});

/** A Graph request as any client would make it: an app-only token from the emulator's Entra, then the call. */
async function raw(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const token = await request('POST', `/${TENANT}/oauth2/v2.0/token`, new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET, scope: 'https://graph.microsoft.com/.default' }).toString(), 'application/x-www-form-urlencoded');
  return request(method, path, body === undefined ? undefined : JSON.stringify(body), 'application/json', token.body.access_token);
}

function request(method: string, path: string, body: string | undefined, contentType: string, token?: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${emulator.url}${path}`, { method, ca: emulator.ca, headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
