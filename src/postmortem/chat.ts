import type { TurnContext } from 'botbuilder';
import type { Incident, IncidentEvent, Person } from '../domain/incident';
import { incidentFigures } from '../domain/figures';
import { instantOf, isTimeZone } from '../oncall/rotation';
import { mentioned } from '../teams/activity';
import type { BotDeps } from '../teams/deps';
import { takeWithMember } from '../teams/mention-command';
import { recordedReply, sayLater } from '../teams/replies';
import { markdownLine, markdownMessage } from '../teams/text';
import { incidentAt } from '../teams/where';
import { blameFindings } from './blameless';
import { docIdOf } from '../google/incident-docs';
import { reviewInvitees } from './invitees';
import { stakeholderSummary } from './summary';
import { POSTMORTEM_TEMPLATE_GUIDANCE } from './template-text';

export const POSTMORTEM_USAGE =
  'postmortem [@person | check | review <YYYY-MM-DD HH:MM> [<minutes> min] | summary]   (a resolved incident: its owner, the blameless check, the review meeting, the stakeholder summary)';

/**
 * `postmortem …` typed in a resolved incident's conversation (issue 18 items 4-7). Everything it changes goes through
 * the domain (owner, review time); what it reads (the doc's cause, for the blameless check and the summary) is read
 * fresh from the doc. Answers in plain words in the conversation where it was asked.
 */
export async function postmortemFromChat(deps: BotDeps, context: TurnContext, text: string, by: Person, at: string, key: string | undefined, number?: number): Promise<void> {
  const rest = (/^\/?postmortem\b\s*([\s\S]*)$/i.exec(text.trim())?.[1] ?? '').trim();
  const reply = async (answer: string) => {
    if (key && !(await deps.store.markInbound(key, at))) return;
    await context.sendActivity(markdownMessage(answer));
  };
  // What reads the postmortem doc is read after the HTTP answer (src/teams/replies.ts): Google is never waited for.
  const replyLater = async (answer: () => Promise<string>) => {
    if (key && !(await deps.store.markInbound(key, at))) return;
    await sayLater(context, async () => markdownMessage(await answer()));
  };
  const here = await incidentAt(deps.store, context.activity.conversation.id, number);
  if (!here || 'none' in here) return reply(here ? here.none : 'There is no incident in this conversation.');
  const incident = here.incident;
  const pm = incident.postmortem;
  if (!pm) return reply(`INC-${incident.number} has no postmortem yet: it starts when the incident is resolved ("resolve confirm [summary]").`);
  const verb = rest.split(/\s+/)[0].toLowerCase();

  // Teams leaves a mention's text out of the command: "postmortem @Bob" arrives as "postmortem" with a mention.
  const [named] = mentioned(context.activity);
  if (!rest && !named) return reply(status(incident));
  if (verb === 'check') return replyLater(() => check(deps, incident));
  if (verb === 'summary') return replyLater(() => summary(deps, incident));
  if (verb === 'review') {
    const when = reviewTime(rest.slice(6).trim(), pm.timeZone);
    if ('refused' in when) return reply(when.refused);
    if (!deps.postmortem?.review) return reply('Review meetings need Microsoft Graph with a meeting organizer and a mail sender (GRAPH_MEETING_ORGANIZER_ID, GRAPH_MAIL_SENDER); set a time with the people by hand for now.');
    // The answer is written with the change (src/teams/replies.ts): a crash after the HTTP answer does not lose it.
    const recorded = recordedReply(context, { key, at, graceMs: deps.replyGraceMs }, (changed) => {
      const { invited, unreachable } = reviewInvitees(changed, deps.org);
      const lines = [
        `Postmortem review of INC-${incident.number}: ${utcText(changed.postmortem!.review!.start)} (${when.minutes} min). An online meeting is being set up; the invitation (with an .ics) goes to ${invited.map((i) => i.name).join(', ') || 'nobody yet'}.`,
        ...(unreachable.length ? [`No email address is known for ${unreachable.join(', ')}: forward them the invitation.`] : []),
      ];
      return lines.map(markdownLine).join('\n\n');
    });
    const outcome = await deps.incidents.run(incident.id, { type: 'SchedulePostmortemReview', start: when.start, minutes: when.minutes, at, by }, { inboundKey: key, alsoEffects: recorded.effects });
    if (outcome.kind === 'duplicate') return;
    if (outcome.kind === 'refused') return reply(outcome.reason);
    if (outcome.kind === 'unchanged') return reply('The review is already at that time; the invitations went out then.');
    recorded.said();
    // The blameless check of the doc, after the answer to the review: it warns, never blocks.
    if (deps.postmortem.docs) await sayLater(context, async () => markdownMessage(await check(deps, incident)));
    return;
  }
  if (!named) return reply(`Usage: ${POSTMORTEM_USAGE}`);
  // Decided once Teams has said who they are, after the HTTP answer (src/teams/mention-command.ts).
  await takeWithMember(deps, context, {
    incidentId: incident.id,
    key,
    mention: named,
    command: { type: 'ChangePostmortemOwner' },
    personAt: 'to',
    at,
    by,
    say: { notMember: "{name} is not in this team, so can't own the postmortem here.", unchanged: '{name} owns the postmortem already.' },
  });
}

function status(incident: Incident): string {
  const pm = incident.postmortem!;
  const doc = incident.resources.postmortem;
  return [
    `Postmortem of INC-${incident.number}: ${pm.owner.name} owns it, due ${pm.due} (${pm.timeZone}).`,
    doc?.status === 'ready' && doc.url ? `Doc: ${doc.url}` : doc ? `Doc: ${doc.status === 'failed' ? `could not be made (${doc.detail ?? 'unknown error'})` : 'being assembled'}` : 'No doc (Google is not configured).',
    pm.review ? `Review: ${utcText(pm.review.start)}.` : 'No review meeting yet: "postmortem review <YYYY-MM-DD HH:MM>".',
    `Usage: ${POSTMORTEM_USAGE}`,
  ].join('\n');
}

/** The blameless check of the doc's cause section: its findings, or that it found none. */
async function check(deps: BotDeps, incident: Incident): Promise<string> {
  const cause = await section(deps, incident, 'Cause');
  if ('unread' in cause) return cause.unread;
  if (!cause.length) return 'Blameless check: the Cause section is still empty.';
  const findings = blameFindings(cause.join('\n'));
  if (!findings.length) return 'Blameless check: nothing in the Cause section makes a person the cause.';
  return [
    `Blameless check: ${findings.length} sentence${findings.length === 1 ? '' : 's'} in the Cause section make${findings.length === 1 ? 's' : ''} a person the cause (a warning, nothing is blocked):`,
    ...findings.map((f) => `• "${f.sentence}" (${f.because}). ${f.suggestion}`),
  ].join('\n');
}

async function summary(deps: BotDeps, incident: Incident): Promise<string> {
  const read = async (heading: string) => {
    const s = await section(deps, incident, heading);
    return 'unread' in s ? [] : s;
  };
  const events = (await deps.store.events(incident.id)).map((r) => r.event);
  const figures = incidentFigures(events);
  const resolution = [...events].reverse().find((e): e is Extract<IncidentEvent, { type: 'IncidentResolved' }> => e.type === 'IncidentResolved');
  const lines = stakeholderSummary({
    incident,
    organisation: deps.org?.statusPage.name ?? 'our service',
    cause: await read('Cause'),
    prevention: await read('Steps to prevent recurrence'),
    impactSeconds: figures?.timeToMitigateSeconds,
    resolution: resolution?.summary,
  });
  const liaison = incident.roles.customer?.name ?? 'the customer liaison';
  return [
    `Draft stakeholder summary of INC-${incident.number}, for ${liaison} to finish (fill the [brackets]):`,
    ...lines,
    deps.publish ? 'To put it on the status page: publish resolved <the finished text>' : 'There is no status page here; send it to customers your usual way.',
  ].join('\n');
}

/** A section of the postmortem doc without the template's guidance, or why it could not be read. */
async function section(deps: BotDeps, incident: Incident, heading: string): Promise<string[] | { unread: string }> {
  const doc = incident.resources.postmortem;
  const id = doc?.status === 'ready' && doc.url ? docIdOf(doc.url) : undefined;
  if (!deps.postmortem?.docs || !id) return { unread: 'The postmortem doc is not ready yet, so its sections could not be read.' };
  try {
    const paragraphs = await deps.postmortem.docs.section(id, heading);
    return paragraphs.filter((p) => !POSTMORTEM_TEMPLATE_GUIDANCE.has(p) && !p.startsWith('Suggested action item:'));
  } catch (err) {
    deps.log.warn('reading the postmortem doc failed', { incident: incident.id, error: err instanceof Error ? err.message : String(err) });
    return { unread: 'The postmortem doc could not be read just now; try again in a moment.' };
  }
}

/** `2026-12-10 14:00 [45 min]` on the postmortem's calendar, or an ISO time with its offset. */
export function reviewTime(text: string, zone: string): { start: string; minutes: number } | { refused: string } {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})?(?:\s+(\d{1,3})\s*min(?:utes)?)?$/i.exec(text);
  if (!m) return { refused: 'Give the review time as YYYY-MM-DD HH:MM (the postmortem\'s time zone), optionally followed by "<minutes> min".' };
  const [, date, hh, mm, offset, minutes] = m;
  const wall = Date.parse(`${date}T${hh}:${mm}:00Z`);
  if (!Number.isFinite(wall)) return { refused: `${date} ${hh}:${mm} is not a date and time.` };
  const start = offset ? Date.parse(`${date}T${hh}:${mm}:00${offset.toUpperCase() === 'Z' ? 'Z' : offset}`) : instantOf(wall, isTimeZone(zone) ? zone : 'UTC');
  return { start: new Date(start).toISOString(), minutes: minutes ? Number(minutes) : 60 };
}

function utcText(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
