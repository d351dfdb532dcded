import type { SendAudienceUpdate } from '../domain/audiences';
import { audienceNames } from '../domain/audiences';
import type { Incident, Person } from '../domain/incident';
import type { Effect } from '../domain/react';
import { audienceMessageOf } from '../org/audiences';
import type { Audience } from '../org/schema';
import { PUBLISH_USAGE } from '../status/publish';
import type { BotDeps } from '../teams/deps';

/** `recorded`: the reply was written with the update (given `reply`), to be said by its effect. */
export type SendResult = { sent: string[]; incident: Incident; recorded?: true } | { refused: string } | { duplicate: true };

/**
 * Tells the picked audiences, each its text, in one command (one timeline entry naming them all). The status page's
 * audience is not published here: publishing is the customer liaison's or the IC's, with `publish` (src/status/).
 */
export async function sendToAudiences(
  deps: BotDeps,
  incident: Incident,
  picks: { audience: Audience; text: string }[],
  by: Person,
  at: string,
  inboundKey: string | undefined,
  /** The reply saying who was told (its lines), as an effect written with the update (src/teams/replies.ts). */
  reply?: (text: string, incident: Incident) => Effect[],
): Promise<SendResult> {
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
  const sent = [`Sent to ${audienceNames(told.map((p) => p.audience))}.`, ...hook];
  const outcome = await deps.incidents.run(incident.id, command, { inboundKey, ...(reply && { alsoEffects: (next: Incident) => reply(sent.join('\n'), next) }) });
  switch (outcome.kind) {
    case 'refused':
      return { refused: outcome.reason };
    case 'duplicate':
      return { duplicate: true };
    case 'unchanged':
    case 'changed':
      return { sent, incident: outcome.incident, ...(outcome.kind === 'changed' && reply && { recorded: true as const }) };
  }
}
