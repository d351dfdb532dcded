import { generateKeyPairSync } from 'node:crypto';
import { evolve, type Incident, type IncidentEvent, type Person } from '../../../src/domain/incident';
import { googleClients, SCOPES, type GoogleClients } from '../../../src/google/clients';
import { createIncidentDocs, type IncidentDocs, type ShareConfig } from '../../../src/google/incident-docs';
import type { RetryPolicy } from '../../../src/google/retry';
import { createTemplate } from '../../../src/google/template';
import { startGoogleSandbox, type GoogleSandbox, type GoogleSandboxOptions } from '../../../src/sandbox/google';
import { openStore } from '../../../src/store/open';
import type { Store } from '../../../src/store/store';

export const SUBJECT = 'incidents@example.com';
export const SERVICE_ACCOUNT = 'firebreak@firebreak-test.iam.gserviceaccount.com';
/** Fast enough for tests, same shape as production's backoff. */
export const FAST: RetryPolicy = { attempts: 4, baseMs: 5, capMs: 40 };
export const SHARE: ShareConfig = { domain: 'example.com', groups: ['oncall@example.com'], role: 'writer' };

export interface GoogleWorld {
  sandbox: GoogleSandbox;
  clients: GoogleClients;
  docs: IncidentDocs;
  templateId: string;
  driveId: string;
  privateKey: string;
  close(): Promise<void>;
}

/** A sandbox with a delegated service account, a shared drive for the docs, and the default template in it. */
export async function googleWorld(opts: GoogleSandboxOptions & { delegatedScopes?: string[] } = {}): Promise<GoogleWorld> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sandbox = await startGoogleSandbox({
    domain: 'example.com',
    serviceAccounts: [{ clientEmail: SERVICE_ACCOUNT, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), delegatedScopes: opts.delegatedScopes ?? SCOPES }],
    ...opts,
  });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const clients = clientsFor(sandbox, pem);
  const driveId = sandbox.createSharedDrive('Incidents', { [SUBJECT]: 'organizer' });
  const { id: templateId } = await createTemplate(clients, { folderId: driveId, retry: FAST });
  const docs = createIncidentDocs({ clients, templateId, folderId: driveId, share: SHARE, retry: FAST });
  return { sandbox, clients, docs, templateId, driveId, privateKey: pem, close: () => sandbox.close() };
}

/** For a test file: a sandbox world and an embedded store, opened before its tests and closed after them. */
export function worldAndStore(): () => { world: GoogleWorld; store: Store } {
  let world: GoogleWorld | undefined;
  let store: Store | undefined;
  beforeAll(async () => {
    world = await googleWorld();
    store = await openStore('pglite:memory');
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await world?.close();
  });
  return () => ({ world: world!, store: store! });
}

export function clientsFor(sandbox: GoogleSandbox, privateKey: string, subject = SUBJECT): GoogleClients {
  return googleClients({ clientEmail: SERVICE_ACCOUNT, privateKey }, subject, { docsUrl: sandbox.url, driveUrl: sandbox.url, tokenUrl: sandbox.tokenUrl });
}

export const ALICE: Person = { id: '29:alice', name: 'Alice Adams', email: 'alice@example.com' };
export const BOB: Person = { id: '29:bob', name: 'Bob Brown' };

/** An incident as the domain builds it: declared, then whatever else happened. */
export function incident(n = 42, more: Partial<Omit<IncidentEvent, 'type'>>[] = [], declared: Record<string, unknown> = {}): Incident {
  let state = evolve(null, {
    type: 'IncidentDeclared',
    incidentId: `incident-${n}-${Math.random().toString(36).slice(2, 8)}`,
    number: n,
    title: 'Checkout API returning 500s',
    description: 'Payments fail for about a third of checkouts since 00:02 UTC.',
    severity: 2,
    customerImpact: true,
    private: false,
    commander: ALICE,
    origin: { id: '19:ops@thread.tacv2', serviceUrl: 'http://localhost/' },
    places: [],
    provisioning: ['channel', 'bridge', 'doc'],
    at: '2026-03-15T00:02:31.000Z',
    by: ALICE,
    ...declared,
  } as IncidentEvent);
  for (const e of more) state = evolve(state, { at: '2026-03-15T00:05:00.000Z', by: ALICE, ...e } as IncidentEvent);
  return state;
}

/** The text of the body, paragraphs joined, for assertions. */
export function plainText(doc: Record<string, any>): string {
  const out: string[] = [];
  const walk = (content: any[]) => {
    for (const el of content ?? []) {
      if (el.paragraph) out.push(el.paragraph.elements.map((e: any) => e.textRun?.content ?? '').join(''));
      for (const row of el.table?.tableRows ?? []) for (const cell of row.tableCells) walk(cell.content);
    }
  };
  walk(doc.body.content);
  return out.join('');
}

/** The timeline table's rows as cell texts. */
export function tableRows(doc: Record<string, any>, start?: number): string[][] {
  const table = doc.body.content.find((el: any) => el.table && (start === undefined || el.startIndex === start)).table;
  return table.tableRows.map((r: any) =>
    r.tableCells.map((c: any) => c.content.map((p: any) => p.paragraph.elements.map((e: any) => e.textRun?.content ?? '').join('')).join('').replace(/\n$/, '')),
  );
}
