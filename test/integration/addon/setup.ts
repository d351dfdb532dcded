import type { AddressInfo } from 'node:net';
import { createIncidents, type Incidents } from '../../../src/app/incidents';
import type { Person } from '../../../src/domain/incident';
import { createAddonEndpoint } from '../../../src/google/addon/endpoint';
import { createVerifier } from '../../../src/google/addon/verify';
import { createLogger } from '../../../src/log';
import { startAddonIssuer, type AddonIssuer } from '../../../src/sandbox/google-addon/issuer';
import { callAddon, type SidebarRequest } from '../../../src/sandbox/google-addon/request';
import { createServer } from '../../../src/server';
import { openStore } from '../../../src/store/open';
import type { Store } from '../../../src/store/store';

export const DOC_ID = '1Qx_incident-doc_A1';
export const DOC_URL = `https://docs.google.com/document/d/${DOC_ID}/edit`;
export const OTHER_DOC = '1Qx_someone-elses-doc';
export const ALICE: Person = { id: '29:alice', name: 'Alice Adams', email: 'alice@contoso.test' };
export const BOB: Person = { id: '29:bob', name: 'Bob Brown' };
export const ORIGIN = { id: '19:ops@thread.tacv2;messageid=1', serviceUrl: 'https://smba.example/' };

export interface Harness {
  store: Store;
  incidents: Incidents;
  issuer: AddonIssuer;
  /** The endpoint URL, the audience of the system token. */
  endpoint: string;
  now: Date;
  call(r: Omit<SidebarRequest, 'endpoint'>): ReturnType<typeof callAddon>;
  post(body: unknown, headers: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/**
 * The add-on endpoint in-process over real HTTP (the same restify server), on the embedded store, with Google's
 * keys served by the local issuer: google-auth-library fetches and checks them exactly as it would Google's.
 */
export async function startHarness(opts: { certsUrl?: string; allowedDomains?: string[]; now?: Date } = {}): Promise<Harness> {
  const store = await openStore('pglite:memory');
  const incidents = createIncidents(store);
  const issuer = await startAddonIssuer();
  // The add-on's clock: a test that reads a time off a card sets it, so the text does not depend on the hour it runs.
  const now = opts.now ?? new Date();
  let endpoint = '';
  const log = createLogger('error');
  const server = createServer(
    {
      messages: async () => ({ status: 404 }),
      health: async () => ({ status: 200 }),
      addon: (body, authorization) => addon.handle(body, authorization),
    },
    log,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/addon`;
  const addon = createAddonEndpoint({
    store,
    incidents,
    log,
    now: () => now,
    url: endpoint,
    allowedDomains: opts.allowedDomains ?? ['contoso.test'],
    declareUrl: 'https://teams.microsoft.com/l/chat/0/0?users=28:firebreak',
    verifier: createVerifier({ audience: endpoint, serviceAccountEmail: issuer.serviceAccountEmail, oauthClientId: issuer.oauthClientId, certsUrl: opts.certsUrl ?? issuer.certsUrl }),
  });
  return {
    store,
    incidents,
    issuer,
    endpoint,
    now,
    call: (r) => callAddon(issuer, { ...r, endpoint }),
    async post(body, headers) {
      const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await issuer.close();
      await store.close();
    },
  };
}

/** Declares an incident the way Teams does, and records its doc, bridge and channel as the workers would. */
export async function docIncident(h: Harness, opts: { id: string; docId?: string; title?: string; severity?: number }) {
  const at = new Date(h.now.getTime() - 30 * 60_000).toISOString();
  const outcome = await h.incidents.declare({
    type: 'DeclareIncident',
    incidentId: opts.id,
    title: opts.title ?? 'Checkout API returning 500s',
    severity: opts.severity ?? 2,
    customerImpact: true,
    commander: ALICE,
    origin: ORIGIN,
    provisioning: ['channel', 'bridge', 'doc'],
    at,
    by: BOB,
  });
  if (outcome.kind !== 'changed') throw new Error(`declare: ${JSON.stringify(outcome)}`);
  const system = { id: 'firebreak', name: 'Firebreak' };
  const ready = (resource: 'doc' | 'bridge' | 'channel', url: string, label: string) => h.incidents.run(opts.id, { type: 'RecordResourceReady', resource, url, label, at, by: system });
  await ready('channel', 'https://teams.microsoft.com/l/channel/19%3Ainc-1/inc-1', '#inc-1-checkout');
  await ready('bridge', 'https://teams.microsoft.com/l/meetup-join/bridge-1', 'Meeting bridge');
  await ready('doc', `https://docs.google.com/document/d/${opts.docId ?? DOC_ID}/edit`, 'INC doc');
  return outcome.incident;
}

/** Every text a card shows, flattened, to look for what it must say. */
export function cardText(value: unknown): string {
  return JSON.stringify(value).replace(/\\"/g, '"');
}

export const cardOf = (body: any) => body?.action?.navigations?.[0]?.pushCard ?? body?.renderActions?.action?.navigations?.[0]?.updateCard;
export const notificationOf = (body: any): string | undefined => body?.renderActions?.action?.notification?.text;
