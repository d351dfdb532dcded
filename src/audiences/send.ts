import type { SendAudienceUpdate } from '../domain/audiences';
import { audienceNames } from '../domain/audiences';
import type { Incident, Person } from '../domain/incident';
import { audienceMessageOf } from '../org/audiences';
import type { Audience } from '../org/schema';
import { PUBLISH_USAGE } from '../status/publish';
import type { BotDeps } from '../teams/deps';

export type SendResult = { sent: string[]; incident: Incident } | { refused: string } | { duplicate: true };

/**
 * Tells the picked audiences, each its text, in one command (one timeline entry naming them all). The status page's
 * audience is not published here: publishing is the customer liaison's or the IC's, with `publish` (src/status/).
 */
export async function sendToAudiences(deps: BotDeps, incident: Incident, picks: { audience: Audience; text: string }[], by: Person, at: string, inboundKey: string | undefined): Promise<SendResult> {
  const toPublish = picks.filter((p) => p.audience.channels.statusPage);
  // Mail needs Graph's sender (GRAPH_MAIL_SENDER, INCIDENT_MAIL_TO): without it an audience's list is said, not tried.
  const reachable = (p: { audience: Audience }) => Boolean(p.audience.channels.teams || (deps.mail && p.audience.channels.mail));
  const told = picks.filter((p) => !p.audience.channels.statusPage && reachable(p));
  const unmailed = picks.filter((p) => !p.audience.channels.statusPage && p.audience.channels.mail && !deps.mail);
  const hook = [
    ...toPublish.map((p) => `${p.audience.name}: publish it on the status page with "${PUBLISH_USAGE.split('   ')[0]}".`),
    ...unmailed.map((p) => `${p.audience.name}: not mailed to ${p.audience.channels.mail}: no mail sender is configured (GRAPH_MAIL_SENDER, INCIDENT_MAIL_TO).`),
  ];
  if (!told.length) {
    if (hook.length) return { sent: hook, incident };
    return { refused: 'Pick at least one audience to tell.' };
  }
  const messages = told.map((p) => audienceMessageOf(p.audience, p.text)).map((m) => (deps.mail ? m : { ...m, channels: { ...(m.channels.teams && { teams: m.channels.teams }) } }));
  const command: SendAudienceUpdate = { type: 'SendAudienceUpdate', audiences: messages, at, by };
  const outcome = await deps.incidents.run(incident.id, command, { inboundKey });
  switch (outcome.kind) {
    case 'refused':
      return { refused: outcome.reason };
    case 'duplicate':
      return { duplicate: true };
    case 'unchanged':
    case 'changed':
      return { sent: [`Sent to ${audienceNames(told.map((p) => p.audience))}.`, ...hook], incident: outcome.incident };
  }
}
