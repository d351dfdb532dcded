import type { Person } from './values';

/**
 * The monitoring alert group an incident was declared from (issue 20 item 5): its state is recorded on the incident,
 * so the incident card shows it and the timeline tells each change. An alert resolving never resolves the incident: it
 * suggests it to the commander, in the incident's conversation.
 */
export interface AlertState {
  title: string;
  status: 'firing' | 'resolved';
  firing: number;
  /** When it resolved (the source's time), for "resolved at 10:42". */
  resolvedAt?: string;
}

interface Base {
  at: string;
  by: Person;
}

export interface RecordAlertState extends Base, AlertState {
  type: 'RecordAlertState';
}

export interface AlertStateRecorded extends Base, AlertState {
  type: 'AlertStateRecorded';
}

/** Nothing when the state is already known (a repeat); the first state recorded is the declaration's own. */
export function decideAlertState(command: RecordAlertState, state: { alert?: AlertState }): AlertStateRecorded[] {
  const known = state.alert;
  if (known && known.status === command.status && known.firing === command.firing) return [];
  const { title, status, firing, resolvedAt, at, by } = command;
  return [{ type: 'AlertStateRecorded', title, status, firing, ...(resolvedAt && { resolvedAt }), at, by }];
}

export function evolveAlertState(event: AlertStateRecorded): AlertState {
  return { title: event.title, status: event.status, firing: event.firing, ...(event.resolvedAt && { resolvedAt: event.resolvedAt }) };
}

/** "Alert fired again: 3 alerts firing." / "Alert resolved at 10:42 UTC." (the incident card's line is alertLine). */
export function alertTimelineText(event: AlertStateRecorded, first: boolean): string {
  if (event.status === 'resolved') return `Alert "${event.title}" resolved at ${(event.resolvedAt ?? event.at).slice(11, 16)} UTC.`;
  return `Alert "${event.title}" ${first ? 'firing' : 'fired again'}: ${firingText(event.firing)}.`;
}

export function alertLine(alert: AlertState): string {
  return alert.status === 'resolved' ? `resolved at ${(alert.resolvedAt ?? '').slice(11, 16) || '—'} UTC` : firingText(alert.firing);
}

const firingText = (n: number) => `${n} alert${n === 1 ? '' : 's'} firing`;

/** The suggestion to the commander when the alert resolves (a domain Message; typed by shape: messages.ts imports incident.ts). */
export function alertResolvedMessage(state: { number: number; commander: Person }, event: AlertStateRecorded): { subject: string; lines: string[] } {
  return {
    subject: `INC-${state.number}: its alert resolved`,
    lines: [`${alertTimelineText(event, false)} If the incident is over too, its commander (${state.commander.name}) resolves it; an alert never does.`],
  };
}
