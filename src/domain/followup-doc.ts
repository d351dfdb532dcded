import { followUpLine, type FollowUp, type FollowUpAdded, type FollowUpEdited } from './followups';
import { isAnnouncement, type Conversation, type Incident } from './incident';
import { incidentLabel, type Message } from './messages';

/**
 * The postmortem doc's action table kept in step with the follow-up items, both ways (issue 18 item 8). Items
 * written or changed in chat or on the card reach the table through one coalesced effect once the doc is ready;
 * rows people write there come back as `AddFollowUp` / `EditFollowUp` / `CloseFollowUp` with `origin: 'doc'`, and
 * the incident's conversation hears of them, with whatever in the row could not be read, once.
 */
export interface SyncActionTable {
  kind: 'postmortem.actions';
  key: string;
  incidentId: string;
  notBefore?: string;
  coalesce?: boolean;
  payload: Record<string, never>;
}

type PostMessage = { kind: 'message.post'; key: string; incidentId: string; payload: { conversation: Conversation; message: Message } };

const FOLLOW_UP_EVENTS = ['FollowUpAdded', 'FollowUpOwnerSet', 'FollowUpClosed', 'FollowUpEdited'];

const WATCH_EVENTS = ['IncidentResolved', 'IncidentReopened', 'PostmortemReviewScheduled'];

export function followUpDocEffects(events: readonly { type: string }[], state: Incident): (SyncActionTable | PostMessage)[] {
  const id = state.id;
  const effects: (SyncActionTable | PostMessage)[] = [];
  const tell = (suffix: string, message: Message) => {
    for (const conversation of state.places.filter((p) => !isAnnouncement(state, p.id))) {
      effects.push({ kind: 'message.post', key: `message.post:${id}:${state.version}:${conversation.id}:${suffix}`, incidentId: id, payload: { conversation, message } });
    }
  };
  for (const e of events) {
    if (e.type === 'FollowUpAdded' && (e as FollowUpAdded).origin === 'doc') tell(`followup-doc:${(e as FollowUpAdded).item.n}`, addedInDoc(state, e as FollowUpAdded));
    if (e.type === 'FollowUpEdited' && (e as FollowUpEdited).problems?.length) tell(`followup-doc-edit:${(e as FollowUpEdited).n}`, unreadInDoc(state, e as FollowUpEdited));
  }
  const ready = state.resources.postmortem?.status === 'ready';
  const made = events.some((e) => e.type === 'ResourceReady' && (e as { resource?: string }).resource === 'postmortem');
  // Also when what decides whether the doc is watched changes (the sync effect asks the watcher to poll it, or stops).
  const watching = events.some((e) => WATCH_EVENTS.includes(e.type));
  if (ready && (made || watching || events.some((e) => FOLLOW_UP_EVENTS.includes(e.type)))) {
    effects.push({ kind: 'postmortem.actions', key: `postmortem.actions:${id}:v${state.version}`, incidentId: id, payload: {}, coalesce: true });
  }
  return effects;
}

function addedInDoc(state: Incident, e: FollowUpAdded): Message {
  const item = state.followUps?.find((i) => i.n === e.item.n);
  const line = item ? followUpLine(item) : `#${e.item.n} ${e.item.text}`;
  const lines = [line, ...(e.problems ?? []).map((p) => `Could not read all of the row: ${p}`)];
  if (e.problems?.length) lines.push(`Fix the row in the doc, or here: "followup owner ${e.item.n} @person".`);
  return { subject: `${incidentLabel(state)}: follow-up #${e.item.n} added in the postmortem doc by ${e.by.name}`, lines };
}

function unreadInDoc(state: Incident, e: FollowUpEdited): Message {
  return { subject: `${incidentLabel(state)}: follow-up #${e.n} changed in the postmortem doc by ${e.by.name}`, lines: (e.problems ?? []).map((p) => `Could not read all of the row: ${p}`) };
}

/** An item's row in the action table: `#n text`, its owner, its due date (or "planning"), its state. */
export function actionCells(item: FollowUp): string[] {
  return [`#${item.n} ${item.text.replace(/\s*\n\s*/g, ' ')}`, item.owner?.name ?? NOBODY, item.due ?? (item.horizon === 'planning' ? 'planning' : ''), item.status];
}

/** What the owner cell says for an item without an owner; read back as none. */
export const NOBODY = 'nobody yet';

/** The row's key for an item: the doc row's own for one written there, `n<number>` for the rest. */
export const rowKey = (item: Pick<FollowUp, 'n' | 'docKey'>) => item.docKey ?? `n${item.n}`;

/**
 * When the postmortem doc stops being watched for changes to its action table: 14 days after the later of its due
 * date and its review meeting. By then the items live in chat, the card and their reminders; the doc still receives
 * what changes there (the sync effect does not depend on the watch).
 */
export const WATCH_DAYS_AFTER = 14;

export function postmortemWatchedUntil(incident: Pick<Incident, 'status' | 'postmortem' | 'resources'>): string | undefined {
  const pm = incident.postmortem;
  if (incident.status !== 'resolved' || !pm || incident.resources.postmortem?.status !== 'ready') return undefined;
  const due = Date.parse(`${pm.due}T23:59:59Z`);
  const review = pm.review ? Date.parse(pm.review.end) : 0;
  return new Date(Math.max(due, review) + WATCH_DAYS_AFTER * 86_400_000).toISOString();
}
