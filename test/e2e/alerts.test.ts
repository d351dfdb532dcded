import path from 'node:path';
import { startBotChannel, type BotChannel, type Recorded } from '../../src/sandbox/botframework';
import { TENANT } from '../harness/activities';
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

(binary ? describe : describe.skip)('monitoring alerts through the real Alertmanager', () => {
  beforeAll(async () => {
    channel = await startBotChannel({ appId: APP_ID, appPassword: 'alerts-e2e-secret', tenantId: TENANT });
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
