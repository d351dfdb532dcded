import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { ALICE, BOB, channelMessage, invoke, post, readable, TENANT } from '../harness/activities';
import { freshPostgresUrl } from '../harness/databases';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { adaptiveCardErrors } from '../harness/schemas';

/**
 * Publishing (issue 16, item 7) through the real server: the card's "Publish to status page" by the customer
 * liaison, refusals for anyone else, a private incident only on the commander's explicit word, and resolve offering
 * the public resolution.
 */
const APP_ID = '3f0c6a55-2222-4333-8444-955555555517';
const ORG_FILE = path.resolve(__dirname, '../../firebreak.org.example.yml');
const CAROL = { id: '29:carol', name: 'Carol Clark', aadObjectId: '00000000-0000-0000-0000-0000000ca201' };

let channel: BotChannel;
let firebreak: RunningFirebreak;

beforeAll(async () => {
  const databaseUrl = process.env.TEST_DATABASE_URL ? await freshPostgresUrl() : `pglite:${path.join(os.tmpdir(), `firebreak-publish-${randomUUID()}`)}`;
  channel = await startBotChannel({ appId: APP_ID, appPassword: 'publish-e2e-secret', tenantId: TENANT });
  channel.setMembers('19:team@thread.tacv2', [ALICE, BOB]); // the team of the harness's channel messages
  firebreak = await startFirebreak({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'publish-e2e-secret',
    MICROSOFT_APP_TENANT_ID: TENANT,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    DATABASE_URL: databaseUrl,
    FIREBREAK_ORG_FILE: ORG_FILE,
    STATUS_URL: 'https://status.firebreak.test',
  });
}, 60_000);

afterAll(async () => {
  await firebreak?.stop();
  await channel?.close();
});

const send = async (activity: object) => {
  const res = await post(firebreak.url, activity, channel.signInbound({ serviceUrl: channel.serviceUrl }));
  expect(res.status).toBe(200);
  return res.body as any;
};

/** Says `text` in a thread and returns what the bot posted there after it (plain answers as read; cards as cards). */
async function say(thread: string, text: string, from = ALICE, mentions: (typeof ALICE)[] = []): Promise<{ text: string[]; cards: any[] }> {
  const before = channel.recorded.length;
  const activity = channelMessage(text, { serviceUrl: channel.serviceUrl, thread, from, mentions });
  await send(activity);
  await eventually(() => (channel.recorded.slice(before).some((r) => r.conversationId === activity.conversation.id && r.op !== 'update' && !readable(r.activity.text)?.startsWith('Re: ')) ? true : undefined), `an answer to "${text}"`);
  const mine = channel.recorded.slice(before).filter((r) => r.op !== 'update' && r.conversationId === activity.conversation.id);
  // Follow-ups of earlier changes ("Re: INC-4: …") arrive when they arrive: not answers to this.
  const answers = mine.filter((r) => !r.activity.attachments && !readable(r.activity.text)?.startsWith('Re: '));
  return { text: answers.map((r) => readable(r.activity.text) as string), cards: mine.flatMap((r) => (r.activity.attachments ?? []).map((a: any) => a.content)) };
}

async function declare(title: string, opts: { private?: boolean } = {}): Promise<{ thread: string; number: number; incidentId: string }> {
  const thread = `thread-${randomUUID()}`;
  const data = { formId: randomUUID(), title, description: '', severity: '2', customerImpact: 'true', commander: ALICE.id, private: opts.private ? 'true' : 'false' };
  const submit = invoke('composeExtension/submitAction', { commandId: 'declareIncident', commandContext: 'message', data }, { serviceUrl: channel.serviceUrl, thread });
  const answer = await send(submit);
  const number = Number(/^Declared INC-(\d+)/.exec(answer?.task?.value ?? '')?.[1]);
  expect(number).toBeGreaterThan(0);
  const card = await eventually(() => channel.recorded.find((r) => r.conversationId === submit.conversation.id && r.activity.attachments), `the card of INC-${number}`);
  return { thread, number, incidentId: card.activity.attachments[0].content.refresh.action.data.incidentId };
}

/** Presses a card button in the incident's thread; the answer is the card the presser sees. */
async function press(thread: string, verb: string, data: Record<string, string>, from = ALICE): Promise<any> {
  const answer = await send(invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, { serviceUrl: channel.serviceUrl, thread, from }));
  expect(answer.statusCode).toBe(200);
  expect(adaptiveCardErrors(answer.value)).toEqual([]);
  return answer.value;
}

const inputsOf = (card: any): Record<string, any> => Object.fromEntries(card.body.filter((e: any) => e.id).map((e: any) => [e.id, e]));
const texts = (card: any): string => JSON.stringify(card.body.filter((e: any) => e.type === 'TextBlock').map((e: any) => e.text));
const summary = async () => (await (await fetch(`${firebreak.url}/status/api/v2/summary.json`)).json()) as any;
const incidents = async () => ((await (await fetch(`${firebreak.url}/status/api/v2/incidents.json`)).json()) as any).incidents as any[];
const byName = async (name: string) => (await incidents()).find((i) => i.name === name);

test('the customer liaison publishes from the card: a public title of their own, components and status; others are refused', async () => {
  const secret = `payments-db replica lag after Dave's migration ${randomUUID().slice(0, 6)}`;
  const { thread, number, incidentId } = await declare(secret);

  // Not yet the liaison: refused, in the chat and on the card.
  expect((await say(thread, 'publish Some payments fail.', BOB)).text).toEqual([`Only the incident commander (Alice Adams) or the customer liaison publishes INC-${number} to the status page.`]);
  expect(texts(await press(thread, 'publishForm', { incidentId }, BOB))).toContain('Only the incident commander (Alice Adams) or the customer liaison');

  expect(texts(await press(thread, 'assignRole', { incidentId, role: 'customer', person: BOB.id }))).toContain('Done.');
  const form = await press(thread, 'publishForm', { incidentId }, BOB);
  const inputs = inputsOf(form);
  expect(inputs.publicTitle.value).toBe('Investigating degraded service'); // the template's, never the internal title
  expect(inputs.publicBody.value).toMatch(/^… We will post an update by (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\.$/); // the first-contact template as the draft
  expect(inputs.publicStatus.value).toBe('investigating');
  expect(inputs.component_payments.choices.map((c: any) => c.value)).toContain('partial_outage');
  expect(JSON.stringify(form)).not.toContain(secret);

  const title = `Payments are slow ${randomUUID().slice(0, 6)}`;
  const done = await press(thread, 'publish', { incidentId, publicTitle: title, publicBody: 'Some card payments take minutes to go through.', publicStatus: 'identified', component_payments: 'degraded_performance', component_checkout: 'unaffected' }, BOB);
  expect(texts(done)).toContain(`Published INC-${number} to the status page as`);
  const published = await byName(title);
  expect(published).toMatchObject({ status: 'identified', impact: 'major' });
  expect(published.incident_updates[0].body).toBe('Some card payments take minutes to go through.');
  expect(published.incident_updates[0].affected_components).toEqual([expect.objectContaining({ code: 'payments', new_status: 'degraded_performance' })]);
  expect(JSON.stringify(await summary())).not.toContain(secret);

  // Carol holds no role: her submit is refused and nothing is published.
  const refused = await press(thread, 'publish', { incidentId, publicTitle: title, publicBody: 'Carol was here.', publicStatus: 'monitoring' }, CAROL);
  expect(texts(refused)).toContain('Only the incident commander');
  expect(JSON.stringify(await incidents())).not.toContain('Carol was here.');
});

test('a private incident is published only on the commander\'s explicit word', async () => {
  const { thread, number, incidentId } = await declare('Customer export bucket made public', { private: true });
  expect(texts(await press(thread, 'assignRole', { incidentId, role: 'customer', person: BOB.id }))).toContain('Done.');

  expect((await say(thread, 'publish Exports are paused.')).text).toEqual([expect.stringContaining(`INC-${number} is private, so it is not published unless you say so explicitly: type "publish private <public text>"`)]);
  expect((await say(thread, 'publish private Exports are paused.', BOB)).text).toEqual([`INC-${number} is private: only its incident commander (Alice Adams) can decide to publish it.`]);
  const form = await press(thread, 'publishForm', { incidentId });
  expect(inputsOf(form).privateOk.value).toBe('false');
  const unticked = await press(thread, 'publish', { incidentId, publicTitle: 'Exports paused', publicBody: 'Unticked.', publicStatus: 'investigating', privateOk: 'false' });
  expect(texts(unticked)).toContain('is private, so it is not published');
  expect(JSON.stringify(await incidents())).not.toMatch(/Exports are paused|Unticked/);

  const said = await say(thread, 'publish private exports: Exports are paused while we check a setting.');
  expect(said.text).toEqual([expect.stringMatching(new RegExp(`^Published INC-${number} to the status page`))]);
  expect(JSON.stringify(await incidents())).toContain('Exports are paused while we check a setting.');
});

test('resolve offers the public resolution; `publish resolved` works in a resolved incident\'s thread', async () => {
  const a = await declare('Search index corrupt');
  await say(a.thread, 'publish search: Search results are incomplete.');
  const resolved = await say(a.thread, 'resolve confirm reindexed');
  const offer = resolved.cards.find((c) => JSON.stringify(c.actions ?? []).includes('Publish the resolution'));
  expect(offer).toBeDefined();
  expect(adaptiveCardErrors(offer)).toEqual([]);
  const inputs = inputsOf(offer);
  expect(inputs.publicStatus.value).toBe('resolved');
  expect(inputs.publicBody.value).toBe('… We apologise for the disruption.'); // the resolution template as the draft
  await press(a.thread, 'publish', { incidentId: a.incidentId, publicTitle: inputs.publicTitle.value, publicBody: 'Search works again. We apologise for the disruption.', publicStatus: 'resolved', component_search: 'operational' });
  const publicA = (await incidents()).find((i) => i.incident_updates.some((u: any) => u.body.startsWith('Search results are incomplete.')));
  expect(publicA.status).toBe('resolved');
  expect(publicA.incident_updates[0].body).toBe('Search works again. We apologise for the disruption.');

  // Resolving from the card offers the same form to the presser.
  const b = await declare('Image CDN errors');
  await say(b.thread, 'publish Some images do not load.');
  const answer = await press(b.thread, 'resolveConfirm', { incidentId: b.incidentId, summary: 'purged' });
  expect(JSON.stringify(answer.actions)).toContain('Publish the resolution');

  // And typed, in the resolved incident's thread.
  const c = await declare('Login slow');
  await say(c.thread, 'publish Signing in is slow.');
  await say(c.thread, 'resolve confirm fixed');
  expect((await say(c.thread, 'publish resolved Signing in is fast again.')).text).toEqual([expect.stringMatching(/\(resolved\): Signing in is fast again\. We apologise for the disruption\.$/m)]);
});
