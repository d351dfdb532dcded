import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startBotChannel, type BotChannel, type Recorded } from '../../src/sandbox/botframework';
import { invoke, post, TENANT } from '../harness/activities';
import { alertmanagerBinary, startAlertmanager, type RunningAlertmanager } from '../harness/alertmanager';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { adaptiveCardErrors } from '../harness/schemas';

/**
 * Issue 20 end to end: the real Prometheus Alertmanager (Debian's prometheus-alertmanager; .ci/run installs it) has
 * the real Firebreak server (production mode) as its webhook receiver, and the cards reach the local Bot Framework
 * channel. Alerts are posted to Alertmanager's API v2; each test has its own alertname, so its own group.
 */
const APP_ID = '3f0c6a55-2222-4333-8444-955555555520';
const TOKEN = 'alerts-e2e-token-0123456789abcdef';
const CHECKOUT_CHANNEL = '19:checkout@thread.tacv2'; // the example organisation file's checkout channel

const binary = alertmanagerBinary();
if (!binary) {
  // eslint-disable-next-line no-console
  console.warn('test/e2e/alerts.test.ts: SKIPPED, prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager; CI installs it)');
}

let channel: BotChannel;
let firebreak: RunningFirebreak;
let alertmanager: RunningAlertmanager;

beforeAll(async () => {
    if (!binary) return;
    channel = await startBotChannel({ appId: APP_ID, appPassword: 'alerts-e2e-secret', tenantId: TENANT });
    channel.installApp(['00000000-0000-0000-0000-000000000020']); // Alex Wilber, on call for checkout: pages reach him
    firebreak = await startFirebreak({
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: 'alerts-e2e-secret',
      MICROSOFT_APP_TENANT_ID: TENANT,
      BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
      BOT_LOGIN_URL: channel.loginUrl,
      DATABASE_URL: 'pglite:memory',
      FIREBREAK_ORG_FILE: path.resolve(__dirname, '../../firebreak.org.example.yml'),
      ANNOUNCEMENTS_CHANNEL_ID: '19:announcements@thread.tacv2',
      ANNOUNCEMENTS_SERVICE_URL: channel.serviceUrl,
      ALERT_WEBHOOK_TOKEN: TOKEN,
    });
    alertmanager = await startAlertmanager({
      receivers: [
        { name: 'firebreak', url: `${firebreak.url}/api/alerts/alertmanager`, token: TOKEN },
        { name: 'wrong-token', url: `${firebreak.url}/api/alerts/alertmanager`, token: 'not-the-token-0123456789', match: { route: 'wrong-token' } },
      ],
    });
}, 60_000);

afterAll(async () => {
  await alertmanager?.stop();
  await firebreak?.stop();
  await channel?.close();
});

(binary ? describe : describe.skip)('monitoring alerts through the real Alertmanager', () => {

  /** The card posted for an alert name (a new thread in a channel), and its current version. */
  const posted = (marker: string) => channel.recorded.filter((r) => r.op === 'create' && JSON.stringify(cardOf(r) ?? {}).includes(marker));
  const current = (r: Recorded) => channel.current(r.conversationId, r.activityId) ?? r.activity;
  const cardOf = (r: Recorded | Record<string, any>) => ('activity' in r ? r.activity : r)?.attachments?.[0]?.content;
  const factsOf = (card: any) => Object.fromEntries(card.body.filter((b: any) => b.type === 'FactSet').flatMap((f: any) => f.facts.map((x: any) => [x.title, x.value])));

  it('a firing alert reaches the service channel as one card; a second alert of the group updates it; resolved marks it', async () => {
    const alertname = `CheckoutErrors${Date.now()}`;
    const labels = (instance: string) => ({ alertname, service: 'checkout', severity: 'critical', instance });
    await alertmanager.postAlerts([{ labels: labels('web-1'), annotations: { summary: `Checkout 5xx above 2% ${alertname}` }, generatorURL: 'http://prometheus.test/graph?g0.expr=rate' }]);

    const [first] = await eventually(() => (posted(alertname).length ? posted(alertname) : undefined), 'the alert card', 20_000);
    const card = cardOf(first);
    expect(adaptiveCardErrors(card)).toEqual([]);
    expect(first.conversationId.startsWith(CHECKOUT_CHANNEL)).toBe(true);
    expect(card.body[0].text).toBe(`Firing: Checkout 5xx above 2% ${alertname}`);
    const facts = factsOf(card);
    expect(facts.Alerts).toBe('1 firing');
    expect(facts.Service).toBe('checkout');
    expect(facts['Suggested severity']).toMatch(/^1: /);
    expect(facts['On call']).toMatch(/Alex Wilber|Lynne Robbins/); // checkout's fixed experts in the example file
    expect(card.actions.map((a: any) => a.title)).toEqual(['Declare incident', 'Acknowledge', 'Silence here', 'Open in source', 'Alertmanager']);
    expect(card.actions[3].url).toBe('http://prometheus.test/graph?g0.expr=rate');

    // checkout's policy pages its on-call people on an alert (`paging: { on_alert: true }`): a 1:1 from the bot to
    // Alex Wilber with the page card, before any incident. One page per service within its window, so in this file
    // it names whichever checkout alert came first.
    const alex = '00000000-0000-0000-0000-000000000020';
    const pageCard = await eventually(() => {
      const chats = new Set(channel.personalChats.filter((c) => c.memberId === alex).map((c) => c.conversationId));
      return channel.recorded.filter((r) => r.op === 'send' && chats.has(r.conversationId)).map((r) => JSON.stringify(r.activity.attachments?.[0]?.content ?? {})).find((t) => t.includes('alert: '));
    }, 'the on-call person paged for the alert', 20_000);
    expect(pageCard).toContain('Acknowledge');

    await alertmanager.postAlerts([{ labels: labels('web-2'), annotations: { summary: `Checkout 5xx above 2% ${alertname}` } }]);
    await eventually(() => (factsOf(cardOf(current(first))).Alerts === '2 firing' ? true : undefined), 'the card updated to 2 firing alerts', 20_000);

    // Resolved: endsAt at Alertmanager's own startsAt (its clock, whatever the test's), so both end now.
    const held = (await alertmanager.alerts()).filter((a) => a.labels.alertname === alertname);
    await alertmanager.postAlerts(held.map((a) => ({ labels: a.labels, annotations: a.annotations, generatorURL: a.generatorURL, startsAt: a.startsAt, endsAt: a.startsAt })));
    const resolved = await eventually(() => (cardOf(current(first)).body[0].text.startsWith('Resolved') ? cardOf(current(first)) : undefined), 'the card marked resolved', 20_000);
    expect(adaptiveCardErrors(resolved)).toEqual([]);
    expect(factsOf(resolved).Alerts).toBe('all 2 resolved');
    expect(resolved.actions.map((a: any) => a.title)).toEqual(['Open in source', 'Alertmanager']);
    expect(posted(alertname)).toHaveLength(1); // one card for the group, all along
  }, 60_000);

  it('refuses a wrong token: Alertmanager\'s notification fails with 401 and no card is posted', async () => {
    const alertname = `WrongToken${Date.now()}`;
    const failedBefore = await alertmanager.metric('alertmanager_notifications_failed_total');
    await alertmanager.postAlerts([{ labels: { alertname, service: 'checkout', route: 'wrong-token' }, annotations: { summary: 'never shown' } }]);
    await eventually(async () => ((await alertmanager.metric('alertmanager_notifications_failed_total')) > failedBefore ? true : undefined), 'the refused notification', 20_000);
    expect(alertmanager.logs.some((l) => l.includes('401'))).toBe(true);
    expect(posted(alertname)).toHaveLength(0);
    expect(channel.recorded.some((r) => JSON.stringify(r.activity).includes('never shown'))).toBe(false);

    const direct = await fetch(`${firebreak.url}/api/alerts/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' }, body: '{}' });
    expect(direct.status).toBe(401);
    expect(((await direct.json()) as any).error).toMatch(/token/);
  }, 60_000);

  it('answers a malformed notification with 400 and its reason, and stores nothing', async () => {
    const res = await fetch(`${firebreak.url}/api/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ version: '4', groupKey: 'g', status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'Bad' }, startsAt: 'yesterday' }] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toBe('not an Alertmanager notification: alerts[0].startsAt must be an RFC 3339 time');
  });
});

(binary ? describe : describe.skip)('the alert card\'s buttons', () => {
  const press = async (verb: string, data: Record<string, string>) => {
    const res = await post(firebreak.url, invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, { serviceUrl: channel.serviceUrl, thread: 'alert-thread' }), channel.signInbound({ serviceUrl: channel.serviceUrl }));
    expect(res.status).toBe(200);
    const body = res.body as any;
    expect(body.statusCode).toBe(200);
    expect(adaptiveCardErrors(body.value)).toEqual([]);
    return body.value;
  };
  const cardOf = (r: Recorded) => (channel.current(r.conversationId, r.activityId) ?? r.activity).attachments?.[0]?.content;
  const factsOf = (card: any) => Object.fromEntries(card.body.filter((b: any) => b.type === 'FactSet').flatMap((f: any) => f.facts.map((x: any) => [x.title, x.value])));
  async function fire(service: string, instance = 'web-1') {
    const alertname = `Fire${service}${Date.now()}`;
    await alertmanager.postAlerts([{ labels: { alertname, service, severity: 'critical', instance }, annotations: { summary: `${service} is down ${alertname}` } }]);
    const copy = await eventually(() => channel.recorded.find((r) => r.op === 'create' && JSON.stringify(r.activity).includes(alertname)), 'the alert card', 20_000);
    const group = JSON.stringify(copy.activity).match(/"group":"((?:[^"\\]|\\.)*)"/)![1].replace(/\\"/g, '"');
    return { alertname, copy, group };
  }

  it('Acknowledge names who did it on every copy; Silence here mutes the group for the chosen time', async () => {
    const { copy, group } = await fire('checkout');
    const acked = await press('alert.ack', { group });
    expect(factsOf(acked).Acknowledged).toMatch(/^by Alice Adams at /);
    expect(acked.actions.map((a: any) => a.title)).not.toContain('Acknowledge');
    await eventually(() => (factsOf(cardOf(copy)).Acknowledged ? true : undefined), 'the posted card showing who acknowledged');
    const silenced = await press('alert.silence', { group, minutes: '60' });
    expect(factsOf(silenced).Silenced).toMatch(/^until /);
    expect((await press('alert.silence', { group, minutes: '7' })).body[0].text).toMatch(/^Choose how long/);
  }, 60_000);

  it('Declare incident: the prefilled form, then one incident; later notifications go to its timeline, and its resolution is told to the commander', async () => {
    const { alertname, copy, group } = await fire('checkout');
    const form = await press('alert.declare', { group });
    const inputs = Object.fromEntries(form.body.filter((b: any) => b.id).map((b: any) => [b.id, b.value]));
    expect(inputs.title).toBe(`checkout is down ${alertname}`);
    expect(inputs.severity).toBe('1');
    expect(inputs.statusPage).toBe('false'); // checkout's policy is `ask`: offered, not ticked
    const answer = await press('alert.declareSubmit', { group, title: inputs.title, severity: '2', customerImpact: 'false', private: 'false', statusPage: 'false' });
    const number = Number(/Declared INC-(\d+)/.exec(answer.body[0].text)![1]);
    expect(factsOf(answer).Incident).toBe(`INC-${number}: updates go to its timeline`);
    // A second press declares nothing more: the same incident.
    expect((await press('alert.declare', { group })).body[0].text).toBe(`INC-${number} was already declared from this alert.`);
    const incidentCard = await eventually(() => channel.recorded.find((r) => r.activity.summary?.startsWith(`INC-${number}: `)), 'the incident card');
    expect(incidentCard.activity.summary).toContain(`checkout is down ${alertname}`);

    // The group fires again with a second alert: no new alert card, a timeline note instead (the incident's events).
    await alertmanager.postAlerts([{ labels: { alertname, service: 'checkout', severity: 'critical', instance: 'web-2' }, annotations: { summary: `checkout is down ${alertname}` } }]);
    await eventually(() => (factsOf(cardOf(copy)).Alerts === '2 firing' ? true : undefined), 'the alert card updated', 20_000);
    await eventually(() => (factsOf(channel.current(incidentCard.conversationId, incidentCard.activityId)!.attachments[0].content).Alert === '2 alerts firing' ? true : undefined), 'the incident card showing the alert state');
    const alertCards = () => channel.recorded.filter((r) => r.op === 'create' && r.activity.summary?.startsWith('Firing: ') && JSON.stringify(r.activity).includes(alertname));
    expect(alertCards()).toHaveLength(1);
    expect(factsOf(cardOf(copy)).Incident).toBe(`INC-${number}: updates go to its timeline`);

    // Resolved: the card says so, and the incident's conversation is told (a suggestion to its commander), once.
    const held = (await alertmanager.alerts()).filter((a) => a.labels.alertname === alertname);
    await alertmanager.postAlerts(held.map((a) => ({ labels: a.labels, annotations: a.annotations, startsAt: a.startsAt, endsAt: a.startsAt })));
    const told = await eventually(() => channel.recorded.find((r) => r.op !== 'update' && typeof r.activity.text === 'string' && r.activity.text.includes('resolved at') && r.activity.text.includes(alertname)), 'the resolution told in the incident conversation', 20_000);
    expect(told.activity.text).toContain('its commander (Alice Adams) resolves it; an alert never does');
    const incidentCopy = channel.current(incidentCard.conversationId, incidentCard.activityId)!.attachments[0].content;
    await eventually(() => (/^resolved at /.test(factsOf(channel.current(incidentCard.conversationId, incidentCard.activityId)!.attachments[0].content).Alert ?? '') ? true : undefined), 'the incident card showing the alert resolved');
    expect(factsOf(incidentCopy).Alert).toBeDefined();
    expect(cardOf(copy).body[0].text.startsWith('Resolved')).toBe(true);
    expect(alertCards()).toHaveLength(1);
  }, 60_000);

  it('declared from a service whose policy is auto: the first-contact update is published on the IC\'s behalf', async () => {
    const { group } = await fire('payments');
    const answer = await press('alert.declareSubmit', { group, title: 'Payments failing', severity: '2', customerImpact: 'true', private: 'false' });
    expect(answer.body[0].text).toMatch(/Published INC-\d+ to the status page/);
    const summary = await (await fetch(`${firebreak.url}/status/api/v2/summary.json`)).json() as any;
    expect(summary.components.find((c: any) => c.id === 'payments').status).not.toBe('operational');
  }, 60_000);
});

(binary ? describe : describe.skip)('Grafana and Azure Monitor, from their documented example payloads', () => {
  const fixture = (name: string) => JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/alerts', name), 'utf8'));
  const send = (source: string, body: unknown) =>
    fetch(`${firebreak.url}/api/alerts/${source}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
  const cardOf = (r: Recorded) => (channel.current(r.conversationId, r.activityId) ?? r.activity).attachments?.[0]?.content;
  const factsOf = (card: any) => Object.fromEntries(card.body.filter((b: any) => b.type === 'FactSet').flatMap((f: any) => f.facts.map((x: any) => [x.title, x.value])));

  it('Grafana: one card for the group, in the announcements channel when no label names a service', async () => {
    const payload = fixture('grafana-webhook.json');
    payload.groupKey = `{}:{run="${Date.now()}"}`; // a group of this test's own
    const res = await send('grafana', payload);
    expect(res.status).toBe(200);
    const copy = await eventually(() => channel.recorded.find((r) => r.op === 'create' && JSON.stringify(r.activity).includes(payload.groupKey.replace(/"/g, '\\"'))), 'the Grafana card');
    const card = cardOf(copy);
    expect(adaptiveCardErrors(card)).toEqual([]);
    expect(copy.conversationId.startsWith('19:announcements@thread.tacv2')).toBe(true);
    expect(card.body[0].text).toBe('Firing: This alert was triggered for zone us-1');
    expect(factsOf(card).Alerts).toBe('2 firing');
    expect(factsOf(card).Since).toBe('2021-10-12 07:51 UTC');
    expect(card.actions.filter((a: any) => a.type === 'Action.OpenUrl').map((a: any) => a.url)).toEqual(['https://play.grafana.org/alerting/1afz29v7z/edit', 'https://play.grafana.org/']);
  });

  it('Azure Monitor: Fired posts a card in the service\'s channel (a custom property names it), Resolved marks it', async () => {
    const fired = fixture('azure-monitor-common-fired.json');
    const resolved = fixture('azure-monitor-common-resolved.json');
    const alertId = `${fired.data.essentials.alertId}-${Date.now()}`;
    fired.data.essentials.alertId = resolved.data.essentials.alertId = alertId;
    expect((await send('azure-monitor', fired)).status).toBe(200);
    const copy = await eventually(() => channel.recorded.find((r) => r.op === 'create' && JSON.stringify(r.activity).includes(alertId.slice(-40))), 'the Azure Monitor card');
    expect(copy.conversationId.startsWith('19:search@thread.tacv2')).toBe(true);
    const card = cardOf(copy);
    expect(adaptiveCardErrors(card)).toEqual([]);
    expect(card.body[0].text).toBe('Firing: WCUS-R2-Gen2');
    expect(factsOf(card)['Suggested severity']).toMatch(/^4: /); // Sev3
    expect((await send('azure-monitor', resolved)).status).toBe(200);
    await eventually(() => (cardOf(copy).body[0].text === 'Resolved: WCUS-R2-Gen2' ? true : undefined), 'the card marked resolved');
    expect(factsOf(cardOf(copy)).Service).toBe('search');
  });

  it('refuses a payload of the wrong kind with 400 naming what is wrong', async () => {
    const res = await send('azure-monitor', fixture('grafana-webhook.json'));
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toMatch(/^not an Azure Monitor \(common alert schema\) notification: schemaId must be/);
  });
});
