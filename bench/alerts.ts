import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { eventually } from '../test/harness/firebreak';
import { measured, type Measure, type MeasureDef } from './measure';
import { percentiles, report } from './stats';
import type { StoreName } from './stores';
import { startWorld } from './world';

export const ALERTS_ACK: MeasureDef = { id: 'alerts-ack-p99', measure: 'Alertmanager webhook ack p99 at 1,000 notifications/min across 200 groups, every outside call slowed', goal: '<= 100 ms' };
export const ALERTS_CARDS: MeasureDef = { id: 'alerts-cards', measure: "alert cards: one card per group, each showing its group's last notification", goal: 'one card per group, 0 lost updates, 0 refused' };

/**
 * Issue 20: 1,000 Alertmanager notifications a minute across 200 groups, posted to /api/alerts/alertmanager at an
 * even pace (open loop: the schedule does not wait for answers). Each group's notifications carry 1 to 5 firing
 * alerts; the last one of each group decides what its card must finally say. Prints the webhook ack percentiles
 * (goal p99 <= 100 ms), the cards posted per group (goal: exactly one) and the groups whose card missed its last
 * state (lost updates; goal 0). The bench runner runs it on each store. Every outside system is configured and
 * slowed (the cards go out through a slowed Bot Connector). The embedded store is file-backed, as a single-node
 * install keeps it: the runner's long /healthz deadline absorbs its slow start on a loaded machine.
 */
export async function alertsBench(opts: { databaseUrl: string; store: StoreName; outsideLatencyMs: number; perMinute?: number; groups?: number; seconds?: number }): Promise<Measure[]> {
  const store = opts.store;
  const perMinute = opts.perMinute ?? 1000;
  const groups = opts.groups ?? 200;
  const seconds = opts.seconds ?? 60;
  const total = Math.round((perMinute * seconds) / 60);
  const token = 'bench-alert-token-0123456789abcdef';
  const world = await startWorld({ latencyMs: opts.outsideLatencyMs });
  const channel = world.channel;
  const firebreak = await world
    .firebreak(opts.databaseUrl, {
      FIREBREAK_ORG_FILE: path.resolve(__dirname, '../firebreak.org.example.yml'),
      ANNOUNCEMENTS_CHANNEL_ID: '19:announcements@thread.tacv2',
      ANNOUNCEMENTS_SERVICE_URL: channel.serviceUrl,
      ALERT_WEBHOOK_TOKEN: token,
    })
    .catch(async (err) => {
      await world.close();
      throw err;
    });
  const run = randomUUID().slice(0, 8);
  const services = ['checkout', 'payments', 'search', 'identity'];
  const final = new Map<number, number>(); // group -> firing alerts in its last notification
  const notification = (g: number, firing: number) => ({
    version: '4',
    groupKey: `{}:{alertname="Bench${run}-${g}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'firebreak',
    groupLabels: { alertname: `Bench${run}-${g}` },
    commonLabels: { alertname: `Bench${run}-${g}`, service: services[g % services.length], severity: 'warning' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.bench:9093',
    alerts: Array.from({ length: firing }, (_, i) => ({
      status: 'firing',
      labels: { alertname: `Bench${run}-${g}`, service: services[g % services.length], severity: 'warning', instance: `web-${i}` },
      annotations: { summary: `Bench group ${g} ${run}` },
      startsAt: '2026-12-03T10:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.bench:9090/graph',
      fingerprint: `${g}-${i}`,
    })),
  });
  try {
    const acks: number[] = [];
    const failures: string[] = [];
    const gapMs = 60_000 / perMinute;
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    const lastOf = new Map<number, Promise<void>>();
    for (let i = 0; i < total; i++) {
      const due = started + i * gapMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const g = i % groups;
      const firing = 1 + ((g + Math.floor(i / groups)) % 5); // each notification of a group differs from its last
      final.set(g, firing);
      const body = JSON.stringify(notification(g, firing));
      // Like Alertmanager, a group's next notification goes once the last one was answered (the schedule's pace holds
      // across groups): otherwise a slow answer lets a later state land before an earlier one.
      const previous = lastOf.get(g) ?? Promise.resolve();
      const sending = previous.then(async () => {
          const t0 = performance.now();
          const res = await fetch(`${firebreak.url}/api/alerts/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
          await res.arrayBuffer();
          acks.push(performance.now() - t0);
          if (res.status !== 200) failures.push(`HTTP ${res.status}`);
        });
      lastOf.set(g, sending);
      inFlight.push(sending);
    }
    await Promise.all(inFlight);
    const sent = performance.now() - started;
    // Every group's card must come to show its last notification; then count what was posted.
    const factOf = (content: any) => content?.body?.find((b: any) => b.type === 'FactSet')?.facts?.find((f: any) => f.title === 'Alerts')?.value;
    const cardsOf = (g: number) => channel.recorded.filter((r) => r.op === 'create' && r.activity.summary?.includes(`Bench group ${g} ${run}`));
    const lost = () =>
      [...final].filter(([g, firing]) => {
        const [card] = cardsOf(g);
        const current = card && (channel.current(card.conversationId, card.activityId) ?? card.activity);
        return factOf(current?.attachments?.[0]?.content) !== `${firing} firing`;
      });
    const settling = performance.now();
    // Checked once a second (the check reads every recorded activity), for up to three minutes.
    await eventually(async () => (lost().length === 0 ? true : void (await new Promise((r) => setTimeout(r, 1000)))), 'every card showing its last notification', 180_000).catch(() => undefined);
    const settled = Math.round((performance.now() - settling) / 1000);
    const perGroup = [...final.keys()].map((g) => cardsOf(g).length);
    const ack = percentiles(acks);
    const cards = { groups: perGroup.length, one: perGroup.filter((n) => n === 1).length, none: perGroup.filter((n) => n === 0).length, more: perGroup.filter((n) => n > 1).length };
    const lostGroups = lost().length;
    report(`alerts (${store}): ${total} notifications over ${Math.round(sent / 1000)} s, ${groups} groups`, { ...ack, unit: 'ms', refused: failures.length }, 'webhook ack p99 <= 100 ms');
    report(`alerts (${store}): cards per group`, cards, 'every group one card');
    report(`alerts (${store}): lost updates`, { groups: lostGroups, updates: channel.recorded.filter((r) => r.op === 'update').length, settledAfterSeconds: settled }, '0');
    const rate = { perMinute, groups, seconds, notifications: total };
    return [
      measured({ ...ALERTS_ACK, measure: `Alertmanager webhook ack p99 at ${perMinute} notifications/min across ${groups} groups, every outside call slowed` }, ack.p99, 'ms', ack.p99 <= 100, { store, details: { ...ack, ...rate } }),
      measured(ALERTS_CARDS, `${cards.one}/${cards.groups} groups one card, ${lostGroups} lost, ${failures.length} refused`, undefined, cards.one === cards.groups && lostGroups === 0 && failures.length === 0, {
        store,
        details: { ...cards, lostGroups, refused: failures.length, settledAfterSeconds: settled, ...rate },
      }),
    ];
  } finally {
    await firebreak.stop();
    await world.close();
  }
}
