import { assertNever, type Conversation, type Incident, type IncidentEvent } from './incident';
import { changeLine, followUp, type Message } from './messages';

/**
 * Side effects as data: what should happen in the outside world because of an event.
 * Workers carry them out; `key` makes each one happen at most once per cause.
 */
export type Effect = PostCard | RefreshCards | PostMessage;

interface EffectBase {
  key: string;
  incidentId: string;
  /** ISO time before which the effect must not run (reminders). */
  notBefore?: string;
}
/** Post the live incident card into a conversation; its activity id comes back as `CardPosted`. */
export interface PostCard extends EffectBase {
  kind: 'card.post';
  payload: { conversation: Conversation };
}
/** Re-render every posted copy of the card from the incident's current state. */
export interface RefreshCards extends EffectBase {
  kind: 'card.refresh';
  payload: Record<string, never>;
}
/** Post a follow-up text into a conversation. */
export interface PostMessage extends EffectBase {
  kind: 'message.post';
  payload: { conversation: Conversation; message: Message };
}

export type EffectKind = Effect['kind'];

/** What the outside world must learn from the events one command produced (in order), given the state after them. */
export function react(events: readonly IncidentEvent[], state: Incident): Effect[] {
  const effects: Effect[] = [];
  const changes: string[] = [];
  let refresh = false;
  for (const event of events) {
    switch (event.type) {
      case 'IncidentDeclared':
        for (const conversation of state.places) {
          effects.push({
            kind: 'card.post',
            key: `card.post:${state.id}:${conversation.id}`,
            incidentId: state.id,
            payload: { conversation },
          });
        }
        break;
      case 'SeverityChanged':
      case 'PhaseChanged':
      case 'CommanderChanged':
      case 'IncidentResolved':
        changes.push(changeLine(event)!);
        refresh = true;
        break;
      case 'RoleAssigned':
      case 'ResourceReady':
      case 'ResourceTrouble':
        refresh = true;
        break;
      case 'NoteAdded':
      case 'CardPosted':
        break;
      default:
        assertNever(event);
    }
  }
  if (refresh) {
    effects.push({ kind: 'card.refresh', key: `card.refresh:${state.id}:${state.version}`, incidentId: state.id, payload: {} });
  }
  if (changes.length) {
    for (const conversation of state.places) {
      const redact = conversation.id !== state.origin.id;
      effects.push({
        kind: 'message.post',
        key: `message.post:${state.id}:${state.version}:${conversation.id}`,
        incidentId: state.id,
        payload: { conversation, message: followUp(state, changes, { redact }) },
      });
    }
  }
  return effects;
}
