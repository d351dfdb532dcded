import type { Incidents } from '../app/incidents';
import { isAnnouncement, type Conversation, type Incident, type ResourceKind } from '../domain/incident';
import { incidentLabel } from '../domain/messages';
import { baseConversationId, type Store, type StoredEffect } from '../store/store';
import type { TeamsOutbox } from '../teams/outbox';
import { SYSTEM } from './effects/system';

const RESOURCE_OF: Partial<Record<StoredEffect['kind'], ResourceKind>> = {
  'channel.create': 'channel',
  'bridge.create': 'bridge',
  'doc.create': 'doc',
  'postmortem.create': 'postmortem',
};

const UNDELIVERED: Partial<Record<StoredEffect['kind'], string>> = {
  'card.post': 'the incident card',
  'card.refresh': 'the latest state of the incident card',
  'message.post': 'a message',
  'chat.reply': 'the answer to a command',
  'reminder.update': 'the reminder that a stakeholder update is due',
  'channel.join': 'the addition of someone who joined to the private channel',
  'page.notify': 'a page to someone on call (no 1:1 chat, and no mail could be sent)',
  'page.timeout': 'the escalation of a page nobody answered (call the next person yourself)',
  'handoff.post': 'the hand-off card',
  'reminder.handoff': 'the reminder to hand off command',
  'followup.remind': 'a reminder of a follow-up item',
  'person.notify': 'a notice to someone in a 1:1 chat from the bot (or @mentioned here)',
};

/** To tell the responders when something could not reach Teams (the place that failed can't be told itself). */
export interface DeliveryReport {
  store: Store;
  teams: TeamsOutbox;
}

/**
 * When Firebreak stops trying, the people running the incident hear of it in plain words: a resource that could
 * not be created on the card and in the conversation, a mail that could not go out in the conversation, and a card
 * or message that could not reach a place in another place that still works. Nothing is dropped without a word.
 */
export function reportGiveUp(incidents: Incidents, now: () => Date, delivery?: DeliveryReport) {
  return async (effect: StoredEffect, reason: string): Promise<void> => {
    if (!effect.incidentId) return;
    const what = UNDELIVERED[effect.kind];
    if (what && delivery) return reportUndelivered(delivery, effect, what, reason);
    if ((effect.kind === 'timeline.sync' || effect.kind === 'postmortem.actions') && delivery) return reportTimelineStuck(delivery, effect, reason);
    const notDone = NOT_DONE[effect.kind];
    if (notDone && delivery) return reportNotDone(delivery, effect, reason, notDone);
    if (effect.kind === 'mail.send') {
      await incidents.run(effect.incidentId, { type: 'RecordMailFailed', detail: reason, at: now().toISOString(), by: SYSTEM });
      return;
    }
    const resource = RESOURCE_OF[effect.kind];
    if (!resource) return;
    await incidents.run(effect.incidentId, {
      type: 'RecordResourceTrouble',
      resource,
      detail: reason,
      final: true,
      at: now().toISOString(),
      by: SYSTEM,
    });
  };
}

/** Records that creating a resource is failing and will be retried (the card shows "retrying"). */
export async function reportRetrying(incidents: Incidents, incidentId: string, resource: ResourceKind, reason: string, now: () => Date): Promise<void> {
  await incidents.run(incidentId, { type: 'RecordResourceTrouble', resource, detail: reason, final: false, at: now().toISOString(), by: SYSTEM });
}

async function reportUndelivered(delivery: DeliveryReport, effect: StoredEffect, what: string, reason: string): Promise<void> {
  const incident = await delivery.store.load(effect.incidentId!);
  if (!incident) return;
  const failed = (effect.payload as { conversation?: Conversation }).conversation;
  const tell = placeToTell(incident, failed);
  if (!tell) return; // the only place to tell is the one that failed; the log has it
  const where = failed ? (isAnnouncement(incident, failed.id) ? 'the announcements channel' : 'a conversation of the incident') : 'some of the places it is shown';
  await delivery.teams.postMessage(tell, {
    subject: `${incidentLabel(incident)}: Firebreak could not deliver ${what} to ${where}`,
    lines: [reason, 'People there may not have seen it; tell them another way if they must know.'],
  });
}

/** The doc's timeline could not be brought up to date (no timeline table, a write refused): said once per reason. */
async function reportTimelineStuck(delivery: DeliveryReport, effect: StoredEffect, reason: string): Promise<void> {
  const earlier = await delivery.store.effects({ incidentId: effect.incidentId! });
  if (earlier.some((e) => Number(e.id) < Number(effect.id) && e.kind === effect.kind && e.outcome === 'failed' && e.lastError === reason)) return;
  const incident = await delivery.store.load(effect.incidentId!);
  const tell = incident && placeToTell(incident, undefined);
  if (!incident || !tell) return;
  const actions = effect.kind === 'postmortem.actions';
  await delivery.teams.postMessage(tell, {
    subject: `${incidentLabel(incident)}: Firebreak could not update ${actions ? 'the action items in the postmortem doc' : 'the timeline in the incident doc'}`,
    lines: [reason, actions ? '"followups" lists them here; Firebreak tries the doc again at the next follow-up change.' : 'The chat keeps the full timeline; Firebreak tries the doc again at the next timeline change.'],
  });
}

/** Work Firebreak gave up on that the people who asked for it hear of: what could not be done, and what to do instead. */
const NOT_DONE: Partial<Record<StoredEffect['kind'], { what: string; instead: string }>> = {
  'postmortem.review': { what: 'set up the postmortem review', instead: 'Nobody was invited by Firebreak: set the meeting up by hand, or fix the cause and ask again with "postmortem review <time>".' },
  'chat.mention': { what: 'carry out a command naming someone (Teams did not say who they are)', instead: 'Nothing changed: ask again, e.g. "ic @person".' },
  'followup.export': { what: "create a follow-up item's task in Microsoft Planner", instead: 'The item stays in Firebreak ("followups" lists it, and so does the CSV/JSON export at /reports): add it to Planner by hand if it must be there.' },
};

/** The review meeting or its invitation, or a Planner task, could not be made: the people who asked for it hear why. */
async function reportNotDone(delivery: DeliveryReport, effect: StoredEffect, reason: string, notDone: { what: string; instead: string }): Promise<void> {
  const incident = await delivery.store.load(effect.incidentId!);
  const tell = incident && placeToTell(incident, undefined);
  if (!incident || !tell) return;
  await delivery.teams.postMessage(tell, {
    subject: `${incidentLabel(incident)}: Firebreak could not ${notDone.what}`,
    lines: [reason, notDone.instead],
  });
}

/** The incident's own conversation (its card's thread), unless that is the place that failed: then its other places. */
function placeToTell(incident: Incident, failed: Conversation | undefined): Conversation | undefined {
  const same = (a: string, b: string) => baseConversationId(a) === baseConversationId(b);
  const candidates = [incident.origin, ...incident.places.filter((p) => !isAnnouncement(incident, p.id))];
  const place = candidates.find((p) => !failed || !same(p.id, failed.id));
  if (!place) return undefined;
  const thread = incident.cards.find((c) => same(c.conversationId, place.id))?.postedIn;
  return { ...place, id: thread ?? place.id };
}
