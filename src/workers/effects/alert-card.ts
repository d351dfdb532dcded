import type { Incidents } from '../../app/incidents';
import { alertCard, alertSummary } from '../../alerts/card';
import type { AlertGroup } from '../../alerts/group';
import { recordAlertState } from '../../alerts/record-state';
import type { AlertCardPayload } from '../../alerts/store';
import type { Logger } from '../../log';
import { OutsideError, refusedOutright } from '../../outside-error';
import type { ClaimedEffect, Store } from '../../store/store';
import type { TeamsOutbox } from '../../teams/outbox';
import { keyedQueue } from '../../serial';

type Posted = { postedIn: string; activityId: string };

/**
 * Posts an alert group's card (the episode's first effect only) or brings it up to date, the way card-post.ts posts
 * the incident card: the intent is kept before the call and the message id right after, so a retry does not post a
 * second card. Once an incident was declared from the group, the change also goes into its timeline, once per version.
 * One group at a time in this process; after each write the group is read again and written again if it moved on, so
 * the card never stays behind the store.
 */
export function alertCardEffect(deps: { store: Store; incidents: Incidents; teams: TeamsOutbox; now: () => Date; onCall: (g: AlertGroup) => Promise<string | undefined>; page?: (g: AlertGroup) => Promise<void>; log?: Logger }) {
  const queue = keyedQueue();
  return (effect: ClaimedEffect, signal: AbortSignal) => {
    const payload = effect.payload as AlertCardPayload & { posted?: Posted; posting?: number };
    return queue(payload.group, async () => {
      let g = await deps.store.alerts.get(payload.group);
      if (!g?.place || g.episode !== payload.episode) return; // a later episode has its own card
      if (!g.card) {
        if (!payload.post) return; // the post, still to come, shows the group as it is then
        let posted = payload.posted;
        if (!posted) {
          if (payload.posting) deps.log?.warn('an alert card post was interrupted; posting again may show it twice', { effect: effect.key });
          await deps.store.noteEffectProgress(effect, { posting: (payload.posting ?? 0) + 1 });
          posted = await deps.teams.postAdaptiveCard(g.place, alertCard(g, { now: deps.now(), onCall: await deps.onCall(g) }), alertSummary(g), signal).catch(async (err) => {
            if (refusedOutright(err)) await deps.store.noteEffectProgress(effect, { posting: payload.posting ?? 0 });
            throw err;
          });
          await deps.store.noteEffectProgress(effect, { posted });
        }
        // Before the card is recorded, so a failed page is retried with the effect; paging's inbound key (the group
        // and episode) makes a retry page nobody twice.
        await deps.page?.(g);
        await deps.store.alerts.recordCard(g.key, g.episode, { ...posted, renderedVersion: g.version });
        g = { ...g, card: { ...posted, renderedVersion: g.version } };

      }
      for (let round = 0; round < 5; round++) {
        const fresh = await deps.store.alerts.get(payload.group);
        if (!fresh?.place || fresh.episode !== g.episode || !fresh.card) return;
        const card: NonNullable<AlertGroup['card']> = fresh.card.renderedVersion >= g.card!.renderedVersion ? fresh.card : g.card!;
        if (card.renderedVersion >= fresh.version) return;
        if (fresh.incident) await recordAlertState(deps, fresh);
        await deps.teams.updateAdaptiveCard(fresh.place, card, alertCard(fresh, { now: deps.now(), onCall: await deps.onCall(fresh) }), alertSummary(fresh), signal);
        await deps.store.alerts.recordCard(fresh.key, fresh.episode, { ...card, renderedVersion: fresh.version });
        g = { ...fresh, card: { ...card, renderedVersion: fresh.version } };
      }
      throw new OutsideError('retryable', `alert group ${payload.group} kept changing while its card was updated`);
    });
  };
}
