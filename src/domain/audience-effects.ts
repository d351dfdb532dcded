import type { AudienceUpdateSent } from './audiences';
import { audienceMessage } from './audience-messages';
import { nextAudienceUpdateDue } from './cadence';
import type { Conversation, Incident, IncidentEvent } from './incident';
import type { Message } from './messages';

/** The effects below, as react.ts's `Effect` has them (not imported: react.ts imports this file). */
type Effect =
  | { kind: 'message.post'; key: string; incidentId: string; payload: { conversation: Conversation; message: Message } }
  | { kind: 'mail.send'; key: string; incidentId: string; payload: AudienceMail }
  | { kind: 'reminder.update'; key: string; incidentId: string; notBefore: string; payload: { due: string; audience: string } };

/** A mail to one audience's list, its text already rendered (the template was filled when it was sent). */
export interface AudienceMail {
  what: 'audience';
  audience: string;
  to: string;
  subject: string;
  text: string;
}

/** Each audience on its own channels: its Teams channel (a new post) and its mail list; one key per audience and event. */
export function audienceUpdateEffects(event: AudienceUpdateSent, state: Incident): Effect[] {
  const id = state.id;
  const effects: Effect[] = [];
  for (const audience of event.audiences) {
    const message = audienceMessage(state, audience);
    const key = `${id}:${state.version}:audience:${audience.id}`;
    if (audience.channels.teams) {
      const channel = audience.channels.teams;
      // Posted like the announcements channel's card: into the channel itself, through the bot (main.ts announcementsFor).
      const conversation = { id: channel, serviceUrl: state.origin.serviceUrl, isChannel: true, channelId: channel, ...(state.origin.tenantId ? { tenantId: state.origin.tenantId } : {}) };
      effects.push({ kind: 'message.post', key: `message.post:${key}`, incidentId: id, payload: { conversation, message } });
    }
    if (audience.channels.mail) {
      effects.push({ kind: 'mail.send', key: `mail.send:${key}`, incidentId: id, payload: { what: 'audience', audience: audience.id, to: audience.channels.mail, subject: message.subject, text: audience.text } });
    }
  }
  return effects;
}

/** Events that may move an audience's due time: its own update, and what the cadence follows (severity, impact). */
const MOVES_DUE = new Set<IncidentEvent['type']>(['AudienceUpdateSent', 'SeverityChanged', 'CustomerImpactChanged', 'IncidentReopened']);

/** A reminder per audience told so far, at its due time; an unchanged time keeps its key, so it is not set twice. */
export function audienceReminders(events: readonly IncidentEvent[], state: Incident): Effect[] {
  if (!events.some((e) => MOVES_DUE.has(e.type))) return [];
  return Object.keys(state.audiences ?? {}).flatMap((audience) => {
    const due = nextAudienceUpdateDue(state, audience);
    if (!due) return [];
    return [{ kind: 'reminder.update' as const, key: `reminder.update:${state.id}:${audience}:${due}`, incidentId: state.id, notBefore: due, payload: { due, audience } }];
  });
}
