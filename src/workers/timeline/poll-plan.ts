import type { PolledDoc } from '../../store/doc-poll-store';

/**
 * How often each watched doc is polled, within the Docs read budget (issue 15 item 5). A doc's wish follows its
 * activity: one active now is polled every `activeMs`, a quiet one less often (a tenth of the time it has been quiet,
 * up to `quietMs`). A doc with a live Drive push channel is polled every `quietMs` only, as a safety net: Drive may
 * drop a notification, and a nudge waiting to settle dies with its replica. Resolved incidents' docs are not in the
 * list at all. When the wishes add up to more polls a minute than the budget, every interval is stretched by the
 * same factor, so active docs stay ahead of quiet ones and no doc drops out.
 * @example
 *   const plan = planPolls(docs, Date.now(), { activeMs: 30_000, quietMs: 300_000, perMinute: 150 });
 *   plan.stretch      // 1 when every doc gets what it wants; 4: each is polled a quarter as often as it wants
 */
export interface PollCadence {
  activeMs: number;
  quietMs: number;
  /** Polls a minute the whole service may spend on change detection. */
  perMinute: number;
}

export interface PlannedPoll {
  doc: PolledDoc;
  pushed: boolean;
  wantedMs: number;
  intervalMs: number;
  /** When it is due (ms since the epoch); a doc never polled is due from its last sign of life. */
  dueAt: number;
}

export interface PollPlan {
  polls: PlannedPoll[];
  /** Wanted polls a minute ÷ the budget, at least 1. */
  stretch: number;
}

/** A push channel this close to its expiry counts as gone (it is being renewed). */
export function pushLive(doc: PolledDoc, now: number, marginMs: number): boolean {
  return Boolean(doc.pushUntil && Date.parse(doc.pushUntil) - now > marginMs);
}

export function wantedMs(doc: PolledDoc, now: number, cadence: PollCadence, pushed: boolean): number {
  if (pushed || doc.lost) return cadence.quietMs;
  const quietFor = Math.max(0, now - Date.parse(doc.activeAt));
  return Math.min(cadence.quietMs, Math.max(cadence.activeMs, quietFor / 10));
}

export function planPolls(docs: readonly PolledDoc[], now: number, cadence: PollCadence, pushMarginMs = 0): PollPlan {
  const wishes = docs.map((doc) => {
    const pushed = pushLive(doc, now, pushMarginMs);
    return { doc, pushed, wantedMs: wantedMs(doc, now, cadence, pushed) };
  });
  const perMinute = wishes.reduce((sum, w) => sum + 60_000 / w.wantedMs, 0);
  const stretch = Math.max(1, perMinute / Math.max(1, cadence.perMinute));
  const polls = wishes.map((w) => {
    const intervalMs = w.wantedMs * stretch;
    const dueAt = w.doc.polledAt ? Date.parse(w.doc.polledAt) + intervalMs : Math.min(now, Date.parse(w.doc.activeAt));
    return { ...w, intervalMs, dueAt };
  });
  return { polls, stretch };
}
