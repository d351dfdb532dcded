import { parseAlertmanager } from '../../src/alerts/alertmanager';
import { parseGeneric } from '../../src/alerts/generic';
import { receive, type AlertGroup, type Mapped } from '../../src/alerts/group';
import type { AlertNotification } from '../../src/alerts/notification';

/** Given the stored group, when a notification arrives, then the group and what the card must do. */
const place = { id: '19:checkout@thread.tacv2', serviceUrl: 'https://smba.test/', isChannel: true, channelId: '19:checkout@thread.tacv2' };
const mapped: Mapped = { service: 'checkout', severity: 1, place };
const at = (min: number) => new Date(Date.UTC(2026, 11, 3, 10, min));

function notification(status: 'firing' | 'resolved', instances: [string, 'firing' | 'resolved'][]): AlertNotification {
  return {
    source: 'alertmanager',
    groupKey: '{}:{alertname="CheckoutErrors"}',
    status,
    commonLabels: { alertname: 'CheckoutErrors', service: 'checkout' },
    links: [],
    alerts: instances.map(([instance, s], i) => ({
      status: s,
      labels: { alertname: 'CheckoutErrors', service: 'checkout', instance },
      annotations: { summary: 'Checkout 5xx above 2%' },
      startsAt: at(i).toISOString(),
      ...(s === 'resolved' && { endsAt: at(20).toISOString() }),
      fingerprint: instance,
    })),
  };
}

const step = (before: AlertGroup | undefined, n: AlertNotification, minute: number) => receive(before, n, 'k', mapped, at(minute));

describe('an alert group, notification by notification', () => {
  it('posts one card when it first fires, the earliest start as its "since"', () => {
    const { group, outcome } = step(undefined, notification('firing', [['web-1', 'firing'], ['web-2', 'firing']]), 5);
    expect(outcome).toBe('post');
    expect(group).toMatchObject({ episode: 1, version: 1, status: 'firing', title: 'Checkout 5xx above 2%', service: 'checkout', severity: 1, since: at(0).toISOString() });
  });

  it('updates the same card for more or fewer alerts, and changes nothing for an unchanged repeat', () => {
    const first = step(undefined, notification('firing', [['web-1', 'firing']]), 5).group;
    const posted = { ...first, card: { postedIn: 't', activityId: 'a', renderedVersion: 1 } };
    const more = step(posted, notification('firing', [['web-1', 'firing'], ['web-2', 'firing']]), 6);
    expect(more.outcome).toBe('update');
    expect(more.group).toMatchObject({ episode: 1, version: 2, card: posted.card });
    const repeat = step(more.group, notification('firing', [['web-1', 'firing'], ['web-2', 'firing']]), 7);
    expect(repeat.outcome).toBe('none');
    expect(repeat.group).toBe(more.group);
  });

  it('marks the card resolved, and starts a new episode (a new card) when the group fires again', () => {
    const first = { ...step(undefined, notification('firing', [['web-1', 'firing']]), 5).group, card: { postedIn: 't', activityId: 'a', renderedVersion: 1 }, acknowledged: { name: 'Alice', at: 'x' } };
    const resolved = step(first, notification('resolved', [['web-1', 'resolved']]), 21);
    expect(resolved.outcome).toBe('update');
    expect(resolved.group).toMatchObject({ status: 'resolved', resolvedAt: at(20).toISOString(), acknowledged: { name: 'Alice' } });
    const again = step(resolved.group, notification('firing', [['web-1', 'firing']]), 30);
    expect(again.outcome).toBe('post');
    expect(again.group.episode).toBe(2);
    expect(again.group.card).toBeUndefined();
    expect(again.group.acknowledged).toBeUndefined();
  });

  it('posts no new card while silenced, and none when there is nowhere to post', () => {
    const silenced = { ...step(undefined, notification('firing', [['web-1', 'firing']]), 5).group, status: 'resolved' as const, silencedUntil: at(50).toISOString() };
    expect(step(silenced, notification('firing', [['web-1', 'firing']]), 30).outcome).toBe('none');
    expect(step(silenced, notification('firing', [['web-1', 'firing']]), 51).outcome).toBe('post');
    expect(receive(undefined, notification('firing', [['web-1', 'firing']]), 'k', { service: 'checkout' }, at(5)).outcome).toBe('none');
  });
});

describe('reading the sources', () => {
  it('Alertmanager: version 4 only, each bad field named', () => {
    const ok = { version: '4', groupKey: 'g', status: 'firing', alerts: [{ status: 'firing', labels: { a: 'b' }, startsAt: '2026-12-03T10:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: 'javascript:alert(1)' }] };
    const parsed = parseAlertmanager(ok);
    expect(parsed.ok && parsed.notification.alerts[0]).toEqual({ status: 'firing', labels: { a: 'b' }, annotations: {}, startsAt: '2026-12-03T10:00:00.000Z', fingerprint: '0' }); // no javascript: link, no zero endsAt
    expect(parseAlertmanager({ ...ok, version: '3' })).toEqual({ ok: false, reason: 'version must be "4" (Alertmanager\'s webhook format), got "3"' });
    expect(parseAlertmanager({ ...ok, alerts: [{ ...ok.alerts[0], labels: { a: 1 } }] })).toEqual({ ok: false, reason: 'alerts[0].labels must be an object of strings' });
    expect(parseAlertmanager([])).toEqual({ ok: false, reason: 'the body must be a JSON object' });
  });

  it('generic: summary and status required; the group defaults to the labels\' fingerprint', () => {
    const a = parseGeneric({ status: 'firing', summary: 'x', labels: { b: '2', a: '1' } }, at(0));
    const b = parseGeneric({ status: 'firing', summary: 'y', labels: { a: '1', b: '2' } }, at(1));
    expect(a.ok && b.ok && a.notification.groupKey === b.notification.groupKey).toBe(true);
    expect(parseGeneric({ status: 'firing' }, at(0))).toEqual({ ok: false, reason: 'summary must be a non-empty string of at most 500 characters' });
    expect(parseGeneric({ status: 'firing', summary: 'x', url: 'file:///etc/passwd' }, at(0))).toEqual({ ok: false, reason: 'url must be an http(s) URL' });
  });
});
