import type { PolledDoc } from '../../../src/store/doc-poll-store';
import { planPolls } from '../../../src/workers/timeline/poll-plan';

/** The poll plan alone: intervals from activity, push and the read budget (the watcher across replicas: poll-budget.test.ts). */
const NOW = Date.parse('2026-03-15T12:00:00.000Z');
const cadence = { activeMs: 30_000, quietMs: 300_000, perMinute: 150 };
const doc = (id: string, quietMinutes: number, more: Partial<PolledDoc> = {}): PolledDoc => ({ incidentId: id, kind: 'timeline', url: `https://docs.google.com/document/d/${id}/edit`, lost: false, activeAt: new Date(NOW - quietMinutes * 60_000).toISOString(), ...more });
const interval = (docs: PolledDoc[], id: string, perMinute = cadence.perMinute) => planPolls(docs, NOW, { ...cadence, perMinute }).polls.find((p) => p.doc.incidentId === id)!.intervalMs;

test('active now: every activeMs; quiet: a tenth of the quiet time, up to quietMs; pushed or lost: quietMs', () => {
  const docs = [doc('now', 0), doc('20min', 20), doc('2h', 120), doc('pushed', 0, { pushUntil: new Date(NOW + 3600_000).toISOString() }), doc('lost', 0, { lost: true })];
  expect(docs.map((d) => interval(docs, d.incidentId))).toEqual([30_000, 120_000, 300_000, 300_000, 300_000]);
});

test('a push channel about to lapse (within the margin) no longer counts: the doc is polled as if it had none', () => {
  const lapsing = [doc('lapsing', 0, { pushUntil: new Date(NOW + 60_000).toISOString() })];
  expect(planPolls(lapsing, NOW, cadence, 10 * 60_000).polls[0]).toMatchObject({ pushed: false, intervalMs: 30_000 });
});

test('past the budget every interval stretches by one factor: the polls a minute fit, active docs stay ahead of quiet ones', () => {
  const docs = [...Array.from({ length: 900 }, (_, i) => doc(`quiet-${i}`, 120)), ...Array.from({ length: 100 }, (_, i) => doc(`active-${i}`, 0))];
  const plan = planPolls(docs, NOW, cadence);
  const perMinute = plan.polls.reduce((sum, p) => sum + 60_000 / p.intervalMs, 0);
  expect(plan.stretch).toBeCloseTo((900 * 0.2 + 100 * 2) / 150);
  expect(perMinute).toBeCloseTo(150);
  expect(interval(docs, 'active-0') * 10).toBe(interval(docs, 'quiet-0'));
  expect(planPolls(docs.slice(0, 10), NOW, cadence).stretch).toBe(1);
});

test('a doc never polled is due from its last sign of life; one polled is due an interval later', () => {
  const [fresh, polled] = planPolls([doc('fresh', 5), doc('polled', 0, { polledAt: new Date(NOW - 10_000).toISOString() })], NOW, cadence).polls;
  expect(fresh.dueAt).toBe(NOW - 5 * 60_000);
  expect(polled.dueAt).toBe(NOW + 20_000);
});
