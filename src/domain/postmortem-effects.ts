import type { Conversation, Incident, IncidentEvent } from './incident';
import { incidentLabel, utcTime, type Message } from './messages';
import type { PostmortemEvent } from './postmortem';
import { isAnnouncement } from './incident';

/** The effects below, as react.ts's `Effect` has them (not imported: react.ts imports this file). */
export type PostmortemEffect =
  | { kind: 'postmortem.create'; key: string; incidentId: string; payload: Record<string, never> }
  | { kind: 'postmortem.review'; key: string; incidentId: string; payload: { start: string; end: string } }
  | { kind: 'message.post'; key: string; incidentId: string; payload: { conversation: Conversation; message: Message } };

/**
 * What the postmortem's events ask of the outside world: the doc assembled once (one key per incident, like the
 * incident doc), the review meeting and its invitations once per time asked, and the people running the incident
 * told in their own conversation (never the announcement places).
 */
export function postmortemEffects(event: PostmortemEvent | Extract<IncidentEvent, { type: 'ResourceReady' }>, state: Incident): PostmortemEffect[] {
  const id = state.id;
  const pm = state.postmortem;
  const tell = (suffix: string, message: Message): PostmortemEffect[] =>
    state.places
      .filter((p) => !isAnnouncement(state, p.id))
      .map((conversation) => ({ kind: 'message.post' as const, key: `message.post:${id}:${state.version}:${conversation.id}:${suffix}`, incidentId: id, payload: { conversation, message } }));
  switch (event.type) {
    case 'PostmortemStarted':
      if (event.doc === false) return [];
      return [{ kind: 'postmortem.create', key: `postmortem.create:${id}`, incidentId: id, payload: {} }];
    case 'PostmortemOwnerChanged':
      return tell('postmortem-owner', { subject: `${incidentLabel(state)}: postmortem owner`, lines: [`${event.to.name} now owns the postmortem (was ${event.from.name})${pm ? `, due ${pm.due}` : ''}.`] });
    case 'PostmortemReviewScheduled':
      return [{ kind: 'postmortem.review', key: `postmortem.review:${id}:${event.start}:${event.end}`, incidentId: id, payload: { start: event.start, end: event.end } }];
    case 'ResourceReady': {
      if (event.resource !== 'postmortem' || !pm) return [];
      const link = { text: event.url, label: 'the postmortem doc', url: event.url };
      return tell('postmortem-doc', {
        subject: `${incidentLabel(state)}: the postmortem doc is ready`,
        lines: [
          `Postmortem doc: ${event.url}`,
          `${pm.owner.name} owns it, due ${pm.due}. It is prefilled from the timeline; cause, steps taken and steps to prevent recurrence are for the people who were there. Blameless: systems, not people.`,
          `When it is written: "postmortem check" reads the cause for blame, "postmortem review <YYYY-MM-DD HH:MM>" invites to the review, "postmortem summary" drafts the stakeholder summary.`,
          ...(pm.review ? [`Review: ${utcTime(pm.review.start, event.at)}.`] : []),
        ],
        links: [link],
      });
    }
    default: {
      const never: never = event;
      throw new Error(`unhandled ${JSON.stringify(never)}`);
    }
  }
}
