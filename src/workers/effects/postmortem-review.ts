import type { Graph } from '../../graph/graph';
import { incidentLabel } from '../../domain/messages';
import type { Logger } from '../../log';
import type { OrgFile } from '../../org/schema';
import { OutsideError } from '../../outside-error';
import { invitationIcs } from '../../postmortem/ics';
import { reviewInvitees } from '../../postmortem/invitees';
import type { ClaimedEffect, Store } from '../../store/store';
import { sendMailOnce } from './mail-once';

/**
 * The postmortem review (issue 18 item 6): an online meeting through Graph (`createOrGet`, keyed by the incident and
 * the time, so a retry gets the same one) and one invitation mail to the responders and the engineering leadership,
 * with the meeting as an .ics attachment (METHOD:REQUEST: no calendar permission needed) and the postmortem doc
 * linked. The mail goes once per effect key (mail-once.ts).
 */
export function postmortemReview(deps: { store: Store; graph: Graph; organizerId: string; sender: string; org?: OrgFile; sentCopyWaitMs?: number; now: () => Date; log?: Logger }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const incident = await deps.store.load(effect.incidentId!);
    if (!incident) throw new OutsideError('not-found', `incident ${effect.incidentId} is gone`);
    const { start, end } = effect.payload as { start: string; end: string };
    // A later `postmortem review` replaced this time: its own effect invites to that one.
    if (incident.postmortem?.review?.start !== start || incident.postmortem.review.end !== end) return;
    const subject = `Postmortem review: ${incidentLabel(incident)} ${incident.title}`;
    const meeting = await deps.graph.ensureBridge({ organizerId: deps.organizerId, externalId: `${incident.id}:review:${start}`, subject, start: new Date(start), end: new Date(end), fallback: 'none' }, signal);
    const { invited } = reviewInvitees(incident, deps.org);
    if (!invited.length) throw new OutsideError('permanent', 'nobody to invite: no responder or leader has an email address Firebreak knows');
    const doc = incident.resources.postmortem?.status === 'ready' ? incident.resources.postmortem.url : undefined;
    const description = [
      `The blameless review of ${incidentLabel(incident)}: ${incident.title}.`,
      doc ? `Postmortem doc: ${doc}` : 'The postmortem doc is linked in the incident conversation.',
      `Join: ${meeting.joinWebUrl}`,
      `Owner: ${incident.postmortem?.owner.name ?? incident.commander.name}.`,
    ].join('\n');
    const ics = invitationIcs({
      uid: `${incident.id}-review-${start}@firebreak`,
      stamp: deps.now().toISOString(),
      start,
      end,
      summary: subject,
      description,
      url: meeting.joinWebUrl,
      organizer: { name: 'Firebreak', email: deps.sender },
      attendees: invited,
    });
    await sendMailOnce({ ...deps }, effect, signal, {
      to: invited.map((i) => i.email),
      subject,
      text: `${description}\n\nWhen: ${start.slice(0, 16).replace('T', ' ')} to ${end.slice(11, 16)} UTC. The invitation is attached (invite.ics).`,
      what: 'a postmortem review invitation',
      attachments: [{ name: 'invite.ics', contentType: 'text/calendar; method=REQUEST; charset=UTF-8', content: ics }],
    });
  };
}
