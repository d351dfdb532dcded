import type { TurnContext } from 'botbuilder';
import type { Outcome } from '../app/incidents';
import type { ChangeRequest } from '../domain/decide';
import { followUpLine, needsOwner } from '../domain/followups';
import type { Incident, Person } from '../domain/incident';
import { followUpSettings, type FollowUpSettings } from '../org/followups';
import { mentioned } from '../teams/activity';
import type { BotDeps } from '../teams/deps';
import { takeWithMember } from '../teams/mention-command';
import { recordedReply } from '../teams/replies';
import { markdownMessage, markdownParagraphs } from '../teams/text';
import { incidentAt } from '../teams/where';
import { FOLLOWUP_USAGE, FOLLOWUPS_USAGE, parseFollowUp } from './parse';
import { byDue, listableIn, openItems, samePerson } from './query';

/**
 * `followup …` and `followups …` typed to the bot (issue 18 items 8-9). They work in a resolved incident's conversation
 * too (where most are written): the incident is found as for any command (src/teams/where.ts), resolved ones included
 * in their own thread. Answered once per activity.
 */
export async function followUpsFromChat(deps: BotDeps, context: TurnContext, text: string, by: Person, at: string, key: string | undefined, number?: number): Promise<void> {
  const intent = parseFollowUp(text);
  const say = async (answer: string) => {
    if (key && !(await deps.store.markInbound(key, at))) return;
    await context.sendActivity(markdownMessage(answer));
  };
  if (intent.kind === 'usage') return say(`Usage: ${FOLLOWUP_USAGE}\n${FOLLOWUPS_USAGE}`);
  if (intent.kind === 'list' && intent.scope !== 'here') return say(await listAcross(deps, intent.scope, by, context.activity.conversation));

  const here = await incidentAt(deps.store, context.activity.conversation.id, number);
  if (!here || 'none' in here) return say(here ? here.none : 'There is no incident in this conversation: write follow-ups in the incident\'s conversation or the thread of its card, or use "followups mine".');
  const incident = here.incident;
  if (intent.kind === 'list') return say(listHere(incident));

  if (intent.kind === 'add' || intent.kind === 'owner') {
    const [named] = mentioned(context.activity);
    if (named) {
      // Decided once Teams has said who the owner is, after the HTTP answer (src/teams/mention-command.ts).
      const command = intent.kind === 'add' ? { type: 'AddFollowUp', text: intent.text, ...(intent.due && { due: intent.due }), policy: followUpPolicy(deps) } : { type: 'SetFollowUpOwner', n: intent.n };
      const answers = { notMember: "{name} is not in this team, so can't own a follow-up here.", unchanged: 'Nothing to change: it is already so.', changed: 'followup' as const };
      await takeWithMember(deps, context, { incidentId: incident.id, key, mention: named, command, personAt: 'owner', at, by, say: answers });
      return;
    }
    if (intent.kind === 'owner') return say(`Mention who owns it: followup owner ${intent.n} @person`);
  }
  const change: ChangeRequest =
    intent.kind === 'add'
      ? { type: 'AddFollowUp', text: intent.text, ...(intent.due && { due: intent.due }), policy: followUpPolicy(deps) }
      : { type: 'CloseFollowUp', n: intent.n, outcome: intent.outcome };
  const windowDays = followUpPolicy(deps).windowDays;
  // The answer to a change is written with it (src/teams/replies.ts): a crash after the HTTP answer does not lose it.
  const recorded = recordedReply(context, { key, at, graceMs: deps.replyGraceMs }, (incident, events) => {
    const text = answerTo({ kind: 'changed', incident, events: [...events] }, windowDays);
    return text === undefined ? undefined : markdownParagraphs(text);
  });
  const outcome = await deps.incidents.run(incident.id, { ...change, at, by } as never, { inboundKey: key, alsoEffects: recorded.effects });
  if (outcome.kind === 'changed') return void recorded.said();
  const reply = answerTo(outcome, windowDays);
  if (reply) await context.sendActivity(markdownMessage(reply));
}

/** The follow-up settings a command decides with: the composition root's when it gives them, else the organisation file's. */
export function followUpPolicy(deps: Pick<BotDeps, 'org' | 'followUps'>): FollowUpSettings {
  return deps.followUps?.() ?? followUpSettings(deps.org);
}

/** What the person is told once the command ran (undefined: a re-delivery, already answered). */
export function answerTo(outcome: Outcome, windowDays: number): string | undefined {
  switch (outcome.kind) {
    case 'duplicate':
      return undefined;
    case 'refused':
      return outcome.reason;
    case 'unchanged':
      return 'Nothing to change: it is already so.';
    case 'changed': {
      const label = `INC-${outcome.incident.number}`;
      const event = outcome.events[0];
      const item = (n: number) => outcome.incident.followUps?.find((i) => i.n === n);
      if (event.type === 'FollowUpAdded') {
        const added = item(event.item.n)!;
        const lines = [`Follow-up added to ${label}: ${followUpLine(added)}`];
        if (needsOwner(added)) lines.push(`It is due within ${windowDays} working days, so it needs an owner now. Who will do it? Type: followup owner ${added.n} @person`);
        else if (added.horizon === 'planning') lines.push(`It goes to planning (not due in the next few days)${event.planner ? ', and to the Planner plan as a task' : ''}.`);
        return lines.join('\n');
      }
      if (event.type === 'FollowUpOwnerSet') return `${event.owner.name} owns follow-up #${event.n} of ${label}.`;
      if (event.type === 'FollowUpClosed') return `Follow-up #${event.n} of ${label} is ${event.outcome}.`;
      return 'Done.';
    }
  }
}

function listHere(incident: Incident): string {
  const open = (incident.followUps ?? []).filter((i) => i.status === 'open');
  if (!open.length) return `INC-${incident.number} has no open follow-ups. Add one with: ${FOLLOWUP_USAGE.split('   ')[0]}`;
  return [`Open follow-ups of INC-${incident.number} (${open.length}):`, ...open.map((i) => `• ${followUpLine(i)}`)].join('\n');
}

async function listAcross(deps: BotDeps, scope: 'mine' | 'all', by: Person, where: { id: string; conversationType?: string }): Promise<string> {
  const all = (await openItems(deps.store)).filter(({ item }) => scope === 'all' || samePerson(item.owner, by)).sort(byDue);
  // Everyone in this conversation reads the answer: other private incidents' items are counted, not shown.
  const items = all.filter(listableIn(where, by));
  const hidden = all.length - items.length;
  const more = hidden ? [`… and ${hidden} of private incidents, listed only in their own conversations${scope === 'mine' ? ' or in your 1:1 chat with Firebreak' : ''}.`] : [];
  if (!items.length) return hidden ? more[0].replace(/^… and /, 'Open follow-ups: ') : scope === 'mine' ? 'You own no open follow-ups.' : 'There are no open follow-ups.';
  const head = scope === 'mine' ? `Your open follow-ups (${items.length}):` : `Open follow-ups (${items.length}):`;
  return [head, ...items.slice(0, 50).map(({ incident, item }) => `• INC-${incident.number} ${followUpLine(item)}`), ...(items.length > 50 ? [`… and ${items.length - 50} more.`] : []), ...more].join('\n');
}
