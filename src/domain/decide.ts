import { assertNever, type Conversation, type Incident, type IncidentEvent } from './incident';
import type { Command, DeclareIncident, Decision, Refusal } from './commands';
import { isPhase, isSeverity, LIMITS } from './vocabulary';
import { decideAudienceUpdate } from './audiences';
import { decideFollowUp, FOLLOW_UP_COMMANDS } from './followups';
import { decideAlertState } from './alert-state';
import { canReopen, resolvedAnswer, tooLateToReopen } from './resolution';
import { decidePostmortem, startOnResolve } from './postmortem';
import { breakFor } from './breaks';
import { decideEscalation } from './escalation';

export type * from './commands';


export function isRefusal(d: unknown): d is Refusal {
  return typeof d === 'object' && d !== null && 'refused' in d;
}

const refuse = (refused: string): Refusal => ({ refused });

/**
 * Decides what a command means for an incident.
 * An empty list means "nothing changes" (e.g. setting the severity it already has).
 * @example decide({ type: 'ChangeSeverity', severity: 2, by, at }, incident) // [{ type: 'SeverityChanged', from: 3, to: 2, ... }]
 */
export function decide(command: Command, state: Incident | null): Decision {
  const decision = decideCommand(command, state);
  // Impact ended, or a long procedure is about to start: the team's break follows (issue 18 items 1-2).
  return state && !isRefusal(decision) && decision.length ? [...decision, ...breakFor(decision, state, command.at, command.by)] : decision;
}

function decideCommand(command: Command, state: Incident | null): Decision {
  if (command.type === 'DeclareIncident') return declare(command, state);
  if (!state) return refuse('There is no incident here to change.');
  const { at, by } = command;
  // The postmortem is work done after resolving: its commands are the ones a resolved incident is for.
  if (command.type === 'ChangePostmortemOwner' || command.type === 'SchedulePostmortemReview') return decidePostmortem(command, state.postmortem, state.status === 'resolved');
  if (state.status === 'resolved' && !isSystemFact(command) && !isRecord(command) && command.type !== 'ReopenIncident' && !FOLLOW_UP_COMMANDS.includes(command.type)) {
    return refuse(resolvedAnswer(state, at));
  }
  switch (command.type) {
    case 'ChangeCustomerImpact':
      if (state.customerImpact === command.customerImpact) return [];
      return [{ type: 'CustomerImpactChanged', to: command.customerImpact, at, by }];
    case 'ChangeSeverity': {
      if (!isSeverity(command.severity)) return refuse('Severity must be 1-4 (1 is the most severe).');
      if (command.severity === state.severity) return [];
      return [{ type: 'SeverityChanged', from: state.severity, to: command.severity, at, by }];
    }
    case 'ChangePhase': {
      if (!isPhase(command.phase)) return refuse('Phase must be 0-3.');
      if (command.phase === state.phase) return [];
      if (state.phase === 3) return refuse("Phase can't go back from 3 (learn and rebuild).");
      return [{ type: 'PhaseChanged', from: state.phase, to: command.phase, at, by }];
    }
    case 'ChangeCommander': {
      if (command.to.id === state.commander.id) return [];
      if (command.mode === 'take' && command.to.id !== by.id) {
        return refuse('"Take command" makes you the commander; to name someone else, hand off command.');
      }
      if (command.mode === 'handoff' && by.id !== state.commander.id) {
        return refuse(
          `Only the incident commander (${state.commander.name}) can hand off command. You can take command yourself.`,
        );
      }
      return [{ type: 'CommanderChanged', from: state.commander, to: command.to, at, by }];
    }
    case 'AssignRole': {
      const current = command.role === 'sme' ? undefined : state.roles[command.role];
      if (current?.id === command.person.id) return [];
      if (command.role === 'sme' && state.roles.sme.some((p) => p.id === command.person.id)) return [];
      return [{ type: 'RoleAssigned', role: command.role, person: command.person, at, by }];
    }
    case 'AddNote': {
      const text = command.text.trim();
      if (!text) return refuse(`A ${command.kind} needs some text.`);
      if (text.length > LIMITS.note) {
        return refuse(`That ${command.kind} is ${text.length} characters; the limit is ${LIMITS.note}.`);
      }
      const procedure = command.kind === 'action' && command.procedure ? { procedure: true as const } : {};
      return [{ type: 'NoteAdded', kind: command.kind, text, ...(command.via ? { via: command.via } : {}), ...procedure, at, by }];
    }
    case 'ResolveIncident': {
      const summary = command.summary?.trim();
      if (summary && summary.length > LIMITS.update) {
        return refuse(`That summary is ${summary.length} characters; keep it under ${LIMITS.update} and put the rest in the doc.`);
      }
      const events: IncidentEvent[] = [];
      if (state.phase < 3) events.push({ type: 'PhaseChanged', from: state.phase, to: 3, at, by });
      // Its owner and due date come with the resolution (issue 18 item 4); the resolution stays the last word.
      events.push(...startOnResolve(state.postmortem, state.commander, at, by, command.postmortem));
      events.push({ type: 'IncidentResolved', summary: summary || undefined, at, by });
      return events;
    }
    case 'ReopenIncident': {
      if (state.status !== 'resolved') return refuse(`INC-${state.number} is not resolved (it is in phase ${state.phase}): there is nothing to reopen.`);
      if (!canReopen(state, at)) return refuse(tooLateToReopen(state));
      const reason = command.reason?.trim();
      if (reason && reason.length > LIMITS.note) return refuse(`That reason is ${reason.length} characters; the limit is ${LIMITS.note}.`);
      return [{ type: 'IncidentReopened', ...(reason ? { reason } : {}), at, by }];
    }
    case 'RecordCardPosted': {
      const known = state.cards.find((c) => c.conversationId === command.conversationId);
      if (known?.activityId === command.activityId) return [];
      const { conversationId, postedIn, activityId, renderedVersion } = command;
      return [{ type: 'CardPosted', conversationId, postedIn, activityId, ...(renderedVersion !== undefined && { renderedVersion }), at, by }];
    }
    case 'RecordResourceReady': {
      const known = state.resources[command.resource];
      if (known?.status === 'ready' && known.url === command.url) return [];
      const { resource, url, label } = command;
      return [{ type: 'ResourceReady', resource, url, label, at, by }];
    }
    case 'RecordResourceTrouble': {
      const known = state.resources[command.resource];
      if (known?.status === 'ready') return [];
      const status = command.final ? 'failed' : 'retrying';
      if (known?.status === status && known.detail === command.detail) return [];
      const { resource, detail, final } = command;
      return [{ type: 'ResourceTrouble', resource, detail, final, at, by }];
    }
    case 'PostStakeholderUpdate': {
      const text = command.text.trim();
      if (!text) return refuse('A stakeholder update needs some text: what do they need to know?');
      if (text.length > LIMITS.update) {
        return refuse(`That update is ${text.length} characters; keep it under ${LIMITS.update}: stakeholders need it short.`);
      }
      return [{ type: 'StakeholderUpdatePosted', text, at, by }];
    }
    case 'SendAudienceUpdate':
      return decideAudienceUpdate(command);
    case 'RecordAlertState':
      return decideAlertState(command, state);
    case 'RecordMessage': {
      if (state.recorded[command.messageId]) return [];
      const text = command.text.trim();
      if (!text) return refuse('That message has no text to put on the timeline.');
      const { messageId, author, sentAt, link } = command;
      return [{ type: 'MessageRecorded', messageId, text: clipText(text, LIMITS.note), author, sentAt, ...(link ? { link } : {}), at, by }];
    }
    case 'EditRecordedMessage': {
      const known = state.recorded[command.messageId];
      if (!known || known.deleted) return [];
      return [{ type: 'RecordedMessageEdited', messageId: command.messageId, text: clipText(command.text.trim(), LIMITS.note), at, by }];
    }
    case 'DeleteRecordedMessage': {
      const known = state.recorded[command.messageId];
      if (!known || known.deleted) return [];
      return [{ type: 'RecordedMessageDeleted', messageId: command.messageId, at, by }];
    }
    case 'RecordMailFailed':
      return [{ type: 'MailFailed', detail: command.detail, at, by }];
    case 'RecordDocRow': {
      const text = command.text.trim();
      if (!text) return [];
      return [{ type: 'DocRowAdded', text, who: command.who.trim(), time: command.time.trim(), at, by }];
    }
    case 'RecordDocRowEdit': {
      // Against the entry as it reads now, not the last doc edit: a person may put back an earlier edit of theirs
      // after the chat changed the entry in between.
      const current = command.current ?? state.docTexts?.[command.entryId];
      if (current === command.text) return [];
      return [{ type: 'DocRowEdited', entryId: command.entryId, text: command.text, at, by }];
    }
    case 'RecordDocLost':
      if (state.resources.doc?.status !== 'ready') return [];
      return [{ type: 'DocLost', detail: command.detail, at, by }];
    case 'RecordDocNotShared': {
      // Told once per person (and again only if why changed: an email found later makes sharing by hand possible).
      const told = { ...state.docNotShared };
      const events: IncidentEvent[] = [];
      for (const { person, reason } of command.people) {
        if (told[person.id] === reason) continue;
        told[person.id] = reason;
        events.push({ type: 'DocNotShared', person, reason, url: command.url, at, by });
      }
      return events;
    }
    case 'JoinIncident':
      if (state.joined?.some((p) => p.id === by.id)) return [];
      return [{ type: 'PersonJoined', at, by }];
    case 'AddPlace':
      if (state.places.some((p) => p.id === command.conversation.id)) return [];
      return [{ type: 'PlaceAdded', conversation: command.conversation, ...(command.outside ? { outside: true as const } : {}), at, by }];
    case 'AddFollowUp':
    case 'SetFollowUpOwner':
    case 'CloseFollowUp':
    case 'EditFollowUp':
    case 'RecordPlannerTask':
      return decideFollowUp(command, state.followUps);
    case 'EscalateOverdueUpdate':
      return decideEscalation(command, state);
    default:
      return assertNever(command);
  }
}

/** The timeline keeps growing after resolution (phase 3 notes, late edits): nothing said is turned away. */
function isRecord(command: Command): boolean {
  return ['AddNote', 'RecordMessage', 'EditRecordedMessage', 'DeleteRecordedMessage', 'RecordDocRow', 'RecordDocRowEdit'].includes(command.type);
}

/** Keeps what fits and marks the cut; the full text stays in the chat it came from. */
function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Facts reported by Firebreak's own workers; they are recorded even after resolution. */
function isSystemFact(command: Command): boolean {
  // An alert group often resolves after its incident did: its state still goes on the timeline (issue 20 item 5).
  return ['RecordCardPosted', 'AddPlace', 'RecordMailFailed', 'RecordDocLost', 'RecordDocNotShared', 'RecordAlertState'].includes(command.type) || command.type.startsWith('RecordResource');
}

function declare(command: DeclareIncident, state: Incident | null): Decision {
  if (state) return refuse(`Incident #${state.number} is already declared.`);
  const title = command.title.trim().replace(/\s+/g, ' ');
  if (!title) return refuse('An incident needs a title: what do we perceive that tells us something is wrong?');
  if (title.length > LIMITS.title) {
    return refuse(`The title is ${title.length} characters; keep it under ${LIMITS.title} (put detail in the description).`);
  }
  const description = (command.description ?? '').trim();
  if (description.length > LIMITS.description) {
    return refuse(`The description is ${description.length} characters; the limit is ${LIMITS.description}.`);
  }
  const severity = command.severity ?? 3;
  if (!isSeverity(severity)) return refuse('Severity must be 1-4 (1 is the most severe).');
  // Callers take it from the organisation file (a name there, never free text); kept to one short line regardless.
  const service = command.service?.trim().replace(/\s+/g, ' ').slice(0, 100) || undefined;
  return [
    {
      type: 'IncidentDeclared',
      incidentId: command.incidentId,
      number: command.number,
      title,
      description,
      severity,
      customerImpact: command.customerImpact ?? false,
      private: command.private ?? false,
      commander: command.commander ?? command.by,
      origin: command.origin,
      places: uniqueById([command.origin, ...(command.announceIn ?? [])]),
      sourceMessageUrl: command.sourceMessageUrl,
      provisioning: command.provisioning ?? [],
      mail: command.mail ?? false,
      ...(command.detection && { detection: command.detection }),
      ...(service && { service }),
      ...(command.policy && { policy: command.policy }),
      ...(command.detectedAt && Number.isFinite(Date.parse(command.detectedAt)) && { detectedAt: command.detectedAt }),
      at: command.at,
      by: command.by,
    },
  ];
}

function uniqueById(conversations: Conversation[]): Conversation[] {
  return conversations.filter((c, i) => conversations.findIndex((d) => d.id === c.id) === i);
}
