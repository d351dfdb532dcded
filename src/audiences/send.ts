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
  const told = picks.filter((p) => !p.audience.channels.statusPage);
  const hook = toPublish.map((p) => `${p.audience.name}: publish it on the status page with "${PUBLISH_USAGE.split('   ')[0]}".`);
  if (!told.length) {
    if (hook.length) return { sent: hook, incident };
    return { refused: 'Pick at least one audience to tell.' };
  }
  const command: SendAudienceUpdate = { type: 'SendAudienceUpdate', audiences: told.map((p) => audienceMessageOf(p.audience, p.text)), at, by };
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
