import { createIncidents } from '../../src/app/incidents';
import { nextUpdateDue } from '../../src/domain/cadence';
import { utcTime } from '../../src/domain/messages';
import { startBotChannel, type BotChannel, type Recorded } from '../../src/sandbox/botframework';
import { startAddonIssuer, type AddonIssuer } from '../../src/sandbox/google-addon/issuer';
import { callAddon, sidebarEvent, type SidebarRequest } from '../../src/sandbox/google-addon/request';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { ALICE, BOB, channelMessage, post, readable, TENANT } from '../harness/activities';
import { freshPostgresUrl } from '../harness/databases';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';

/**
 * The Docs sidebar end to end: the real server process in production mode, Google's side played by the local add-on
 * issuer (keys, system and user ID tokens) and Teams' by the recording Bot Framework channel. The incident is
 * declared in Teams; its doc is recorded through the application service on the same PostgreSQL database (the Google
 * Doc adapter is another issue), as the doc worker would; then every sidebar action must reach Teams.
 */
const pg = process.env.TEST_DATABASE_URL;
if (!pg) process.stdout.write('[firebreak] no PostgreSQL for this run: the add-on end-to-end test is SKIPPED\n');
const maybe = pg ? describe : describe.skip;

const APP_ID = '5e7d9a11-3333-4444-8555-966666666666';
const TENANT_ID = TENANT; // the tenant the harness's activities come from: Firebreak serves no other
const PASSWORD = 'addon-e2e-secret';
const ENDPOINT = 'https://firebreak.contoso.test/api/addon';
const BOB_WITH_EMAIL = { ...BOB, email: 'bob@contoso.test' };
/** The team of the ops channel (`channelData.team.id`): Teams looks people up there. */
const TEAM = '19:team@thread.tacv2';

maybe('the incident in the doc sidebar', () => {
  let channel: BotChannel;
  let issuer: AddonIssuer;
  let firebreak: RunningFirebreak;
  let store: Store;

  beforeAll(async () => {
    channel = await startBotChannel({ appId: APP_ID, appPassword: PASSWORD, tenantId: TENANT_ID });
    channel.setMembers(TEAM, [ALICE, BOB_WITH_EMAIL]);
    issuer = await startAddonIssuer();
    const databaseUrl = await freshPostgresUrl();
    firebreak = await startFirebreak({
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: PASSWORD,
      MICROSOFT_APP_TENANT_ID: TENANT_ID,
      BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
      BOT_LOGIN_URL: channel.loginUrl,
      DATABASE_URL: databaseUrl,
      // Behind a proxy: Google calls the public URL (the tokens' audience), the test reaches the process directly.
      ADDON_URL: ENDPOINT,
      ADDON_SERVICE_ACCOUNT_EMAIL: issuer.serviceAccountEmail,
      ADDON_OAUTH_CLIENT_ID: issuer.oauthClientId,
      ADDON_CERTS_URL: issuer.certsUrl,
      ADDON_ALLOWED_DOMAINS: 'contoso.test',
    });
    store = await openStore(databaseUrl);
  }, 60_000);

  afterAll(async () => {
    await firebreak?.stop();
    await store?.close();
    await channel?.close();
    await issuer?.close();
  });

  const sidebar = (r: Omit<SidebarRequest, 'endpoint' | 'target'>) => callAddon(issuer, { ...r, endpoint: ENDPOINT, target: `${firebreak.url}/api/addon` });

  /**
   * An incident declared in Teams in a thread of its own, with Bob (known to Teams by his email) as comms lead, and
   * its doc recorded through the application service on the same database, as the doc worker would. Each test
   * makes its own, so they pass in any order.
   */
  async function incidentWithDoc() {
    const declare = channelMessage('declare sev2 Checkout API returning 500s', { serviceUrl: channel.serviceUrl });
    expect((await post(firebreak.url, declare, channel.signInbound({ serviceUrl: channel.serviceUrl }))).status).toBe(200);
    const thread = declare.conversation.id;
    const card: Recorded = await eventually(() => channel.recorded.find((r) => r.conversationId === thread && r.activity.attachments), 'the incident card');
    const number = Number(/^INC-(\d+): /.exec(card.activity.summary)![1]);
    const docId = `1AbC_incident-doc-e2e-${number}`;
    const say = (text: string, mentions: (typeof ALICE)[] = []) =>
      post(firebreak.url, channelMessage(text, { serviceUrl: channel.serviceUrl, thread: thread.split('=')[1], mentions }), channel.signInbound({ serviceUrl: channel.serviceUrl }));
    expect((await say('role comms', [BOB])).status).toBe(200);
    const incident = await eventually(async () => {
      const found = await store.byNumber(number);
      return found?.roles.comms?.email === 'bob@contoso.test' ? found : undefined;
    }, 'Bob as communications lead');
    const incidentId = incident.id;
    const recorded = await createIncidents(store).run(incidentId, { type: 'RecordResourceReady', resource: 'doc', url: `https://docs.google.com/document/d/${docId}/edit`, label: `INC-${number} incident doc`, at: new Date().toISOString(), by: { id: 'firebreak', name: 'Firebreak' } });
    expect(recorded.kind).toBe('changed');
    const cardUpdates = () => channel.recorded.filter((r) => r.op === 'update' && r.activityId === card.activityId);
    await eventually(() => cardUpdates().find((u) => JSON.stringify(u.activity).includes(docId)), 'the Teams card linking the doc');
    return {
      number,
      incidentId,
      docId,
      say,
      cardUpdates,
      textsInThread: () => channel.recorded.filter((r) => r.conversationId === thread && typeof r.activity.text === 'string' && !r.activity.attachments).map((r) => readable(r.activity.text) as string),
      act: (email: string, action: string, formInputs: Record<string, string>) => sidebar({ user: { email }, doc: { id: docId }, parameters: { action, incidentId }, formInputs }),
    };
  }

  test('a signed sidebar request in the incident doc returns the incident card', async () => {
    const { number, docId } = await incidentWithDoc();
    const res = await sidebar({ user: { email: 'alice@contoso.test' }, doc: { id: docId, title: `INC-${number} incident doc` } });
    expect(res.status).toBe(200);
    expect(res.problems).toEqual([]);
    const shown = res.body.action.navigations[0].pushCard;
    expect(shown.header).toEqual({ title: `INC-${number}: Checkout API returning 500s`, subtitle: 'Severity 2 · Phase 1' });
    const text = JSON.stringify(shown);
    for (const fact of ['Alice Adams', 'Communications lead', 'Bob Brown', 'Next update due', 'Declared: Checkout API returning 500s']) expect(text).toContain(fact);
    expect(JSON.stringify(shown.sections.flatMap((s: any) => s.widgets))).toContain(`"function":"${ENDPOINT}"`);
    // Any other doc is not an incident doc.
    const other = await sidebar({ user: { email: 'alice@contoso.test' }, doc: { id: 'someone-elses-doc' } });
    expect(other.body.action.navigations[0].pushCard.header.subtitle).toBe('This is not an incident doc');
  });

  test('changing severity from the sidebar, as Bob: his Teams name on the follow-up, every card copy updated', async () => {
    const { act, textsInThread, cardUpdates } = await incidentWithDoc();
    const res = await act('bob@contoso.test', 'setSeverity', { severity: '1' });
    expect(res.problems).toEqual([]);
    expect(res.body.renderActions.action.notification.text).toBe('Severity raised from 2 to 1 by Bob Brown. Teams is being updated.');
    await eventually(() => textsInThread().find((t) => t.includes('Severity raised from 2 to 1 by Bob Brown.')), 'the follow-up in Teams');
    await eventually(() => cardUpdates().find((u) => /Severity 1/.test(u.activity.summary)), 'the card updated in place');
  });

  test('changing phase, as someone Teams does not know: the follow-up names their Google account', async () => {
    const { act, textsInThread, cardUpdates } = await incidentWithDoc();
    const res = await act('dana@contoso.test', 'setPhase', { phase: '2' });
    expect(res.body.renderActions.action.notification.text).toBe('Phase moved from 1 to 2 by dana@contoso.test. Teams is being updated.');
    await eventually(() => textsInThread().find((t) => t.includes('Phase moved from 1 to 2 by dana@contoso.test.')), 'the phase follow-up');
    await eventually(() => cardUpdates().find((u) => /phase 2/.test(u.activity.summary)), 'the card in phase 2');
  });

  test('a stakeholder update from the sidebar is posted in Teams, and the card shows the new due time', async () => {
    const { number, incidentId, act, textsInThread, cardUpdates } = await incidentWithDoc();
    const before = cardUpdates().length;
    // Alice declared in Teams, where her email was never seen: here she is her Google account.
    const res = await act('alice@contoso.test', 'postUpdate', { update: 'Checkout is recovering; some card payments may still fail.' });
    expect(res.body.renderActions.action.notification.text).toMatch(/^Update posted/);
    const update = await eventually(() => textsInThread().find((t) => t.startsWith(`Update: INC-${number}`)), 'the stakeholder update in Teams');
    expect(update).toContain('Checkout is recovering; some card payments may still fail.');
    // The due time counts from the update the product recorded; the card states it as of when it was drawn.
    const due = nextUpdateDue((await store.load(incidentId))!)!;
    expect(update).toContain(`Next update by ${utcTime(due, (await store.load(incidentId))!.lastUpdateAt)}.`);
    const dueFact = (u: Recorded) => u.activity.attachments[0].content.body[1].facts.find((f: { title: string }) => f.title === 'Next update due')?.value;
    await eventually(() => cardUpdates().slice(before).find((u) => dueFact(u) === utcTime(due, u.at)), 'the card showing the new due time');
  });

  test('a timeline entry from the sidebar lands on the timeline, attributed, and shows in the sidebar', async () => {
    const { incidentId, act } = await incidentWithDoc();
    const res = await act('bob@contoso.test', 'addEntry', { entry: 'Restarting the payment workers', destructive: 'true' });
    expect(res.body.renderActions.action.notification.text).toBe('Added to the timeline.');
    expect(JSON.stringify(res.body)).toContain('Bob Brown: ACTION (announced before doing it): Restarting the payment workers');
    const events = (await store.events(incidentId)).map((e) => e.event);
    expect(events.at(-1)).toMatchObject({ type: 'NoteAdded', kind: 'action', by: BOB_WITH_EMAIL });
  });

  test('someone outside contoso.test is told why, and nothing changes', async () => {
    const { incidentId, act } = await incidentWithDoc();
    const before = (await store.load(incidentId))!.version;
    const res = await act('vendor@partner.example', 'setSeverity', { severity: '3' });
    expect(res.body.renderActions.action.notification.text).toMatch(/^Only people signed in with a Google Workspace account of contoso\.test/);
    expect((await store.load(incidentId))!.version).toBe(before);
  });

  describe('tokens Google did not sign for this add-on', () => {
    let target: Awaited<ReturnType<typeof incidentWithDoc>>;
    beforeAll(async () => {
      target = await incidentWithDoc();
    }, 30_000);
    test.each([
      ['unsigned', () => issuer.systemToken({ audience: ENDPOINT, key: 'none' })],
      ['wrongly signed', () => issuer.systemToken({ audience: ENDPOINT, key: 'untrusted' })],
      ['expired', () => issuer.systemToken({ audience: ENDPOINT, expiresInSeconds: -3600 })],
      ['for another audience', () => issuer.systemToken({ audience: `${firebreak.url}/api/addon` })],
      ['from another issuer', () => issuer.systemToken({ audience: ENDPOINT, issuer: 'https://accounts.evil.example' })],
      ['for another service account', () => issuer.systemToken({ audience: ENDPOINT, email: 'service-1@gcp-sa-gsuiteaddons.iam.gserviceaccount.com' })],
    ])('a %s token is refused with 401 and changes nothing', async (_what, token) => {
      const { incidentId, docId } = target;
      const before = (await store.load(incidentId))!.version;
      const event = sidebarEvent(issuer, { endpoint: ENDPOINT, user: { email: 'alice@contoso.test' }, doc: { id: docId }, parameters: { action: 'setSeverity', incidentId }, formInputs: { severity: '4' } });
      const res = await fetch(`${firebreak.url}/api/addon`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token()}` }, body: JSON.stringify(event) });
      expect(res.status).toBe(401);
      expect((await store.load(incidentId))!.version).toBe(before);
    });
  });

  test('once resolved in Teams, a change from the sidebar is refused with the reason', async () => {
    const { number, incidentId, say, act } = await incidentWithDoc();
    expect((await say('resolve confirm Rolled back the deploy')).status).toBe(200);
    await eventually(async () => ((await store.load(incidentId))?.status === 'resolved' ? true : undefined), 'the resolution');
    const res = await act('bob@contoso.test', 'setSeverity', { severity: '3' });
    expect(res.body.renderActions.action.notification.text).toMatch(new RegExp(`^INC-${number} was resolved at .*, so the sidebar is read-only and nothing was changed\\. Add notes in its Teams conversation\\.$`));
    expect(res.body.renderActions.action.navigations[0].updateCard.header.subtitle).toMatch(/^Resolved \d\d:\d\d UTC$/);
  });
});
