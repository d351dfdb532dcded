import type { CardCopy, Incident } from '../domain/incident';

/**
 * When a copy of the card may be rewritten (issue 14 item 12). Every rewrite re-renders the whole card in Teams and
 * the Agents Playground, which folds away a Severity/Phase form someone has open on it, and replaces what the person
 * who pressed a button was just answered with. So:
 * - while the incident assembles (a resource is still pending or retrying), a copy is rewritten at most once per
 *   `CARD_PACE_MS`; the rewrite that waits loads the incident when it runs, so it carries everything that came;
 * - the rewrite that shows the incident assembled is not paced (it ends the critical path of issue 15);
 * - the copy whose button a person just pressed is rewritten no sooner than `CONFIRM_HOLD_MS` after the answer (even
 *   to show the incident assembled), so its "Done. Everyone sees the change." is read, not replaced within
 *   milliseconds. Teams shows an invoke's answer to the person who pressed only (the default response type,
 *   REPLACE_FOR_INTERACTOR: https://learn.microsoft.com/en-us/javascript/api/@microsoft/teams-ai/adaptivecardactionexecuteresponsetype),
 *   so the others in that conversation get the change by this rewrite, a moment later; the follow-up message tells
 *   them at once;
 * - a copy already showing the incident's current version is not rewritten again.
 *
 * Kept in memory, per process: it only matters for a few seconds after a write, and entries older than that are
 * dropped. With several replicas a copy may be rewritten once per replica in a second, and a press answered by one
 * replica is not held by another (the copy is then rewritten at once, as before); nothing is lost, since every
 * rewrite renders the state as it is when it runs.
 */
export const CARD_PACE_MS = 1_000;
export const CONFIRM_HOLD_MS = 3_000;

export interface CardPace {
  /** A copy was posted or rewritten showing `version`, at `at`. */
  wrote(copy: Pick<CardCopy, 'activityId'>, version: number, at: Date): void;
  /**
   * The person who pressed a button was answered with the card, at `at`: on the card message `activityId` (the
   * invoke's replyToId) when Teams names it, so only that copy waits; else on every copy in `conversationId`.
   */
  answered(where: { conversationId: string; activityId?: string }, at: Date): void;
  /** `'current'`: nothing to rewrite; else the earliest time the copy may be rewritten (now or later). */
  next(copy: CardCopy, incident: Incident, now: Date): 'current' | Date;
}

export function createCardPace(): CardPace {
  const written = new Map<string, { version: number; at: number }>();
  const answers = new Map<string, number>();
  const forget = (now: number) => {
    for (const [key, w] of written) if (now - w.at > CARD_PACE_MS * 10) written.delete(key);
    for (const [key, at] of answers) if (now - at > CONFIRM_HOLD_MS) answers.delete(key);
  };
  return {
    wrote(copy, version, at) {
      // Rewrites of one incident's cards run one at a time in this process (onePerIncident), so the last one is kept.
      written.set(copy.activityId, { version, at: at.getTime() });
      forget(at.getTime());
    },
    answered(where, at) {
      answers.set(where.activityId ? `message:${where.activityId}` : where.conversationId, at.getTime());
      forget(at.getTime());
    },
    next(copy, incident, now) {
      forget(now.getTime());
      const last = written.get(copy.activityId);
      if (last && last.version >= incident.version) return 'current';
      let at = now.getTime();
      const answeredAt = Math.max(answers.get(`message:${copy.activityId}`) ?? 0, answers.get(copy.postedIn) ?? 0, answers.get(copy.conversationId) ?? 0);
      if (answeredAt) at = Math.max(at, answeredAt + CONFIRM_HOLD_MS);
      if (last && assembling(incident)) at = Math.max(at, last.at + CARD_PACE_MS);
      return new Date(at);
    },
  };
}

/** Some resource is still being made (pending, or retrying after a failure): more rewrites are on their way. */
export function assembling(incident: Incident): boolean {
  return Object.values(incident.resources).some((r) => r?.status === 'pending' || r?.status === 'retrying');
}
