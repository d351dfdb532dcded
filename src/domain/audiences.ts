import type { Person } from './values';
import { LIMITS } from './vocabulary';

/** As commands.ts and events.ts stamp theirs (not imported: they import this file). */
interface Base {
  at: string;
  by: Person;
}

/**
 * Audience updates (issue 16 items 2 and 3, seed 003): each audience told in its own words on its own channels, and
 * each one's "next update by" kept. The organisation file is read outside the domain; what it says about an audience
 * (channels, cadence, whether it is the customers') arrives on the command, like time.
 */
export interface AudienceMessage {
  id: string;
  name: string;
  /** The text as sent: rendered from the audience's template, perhaps edited by hand. */
  text: string;
  channels: { teams?: string; mail?: string };
  /** The organisation file's `every_minutes`; absent: the incident's cadence. */
  everyMinutes?: number;
  /** Customers hear from it: with customer impact it is due at most every 60 minutes (seed 003). */
  customers: boolean;
}

/** Tell these audiences, each its own text. */
export interface SendAudienceUpdate extends Base {
  type: 'SendAudienceUpdate';
  audiences: AudienceMessage[];
}

/** These audiences were told (each on its own channels); each one's next update is due from now. */
export interface AudienceUpdateSent extends Base {
  type: 'AudienceUpdateSent';
  audiences: AudienceMessage[];
}

/** What the incident keeps per audience told so far, by audience id. */
export interface AudienceCadence {
  name: string;
  lastAt: string;
  everyMinutes?: number;
  customers: boolean;
}

export function decideAudienceUpdate(command: SendAudienceUpdate): AudienceUpdateSent[] | { refused: string } {
  if (!command.audiences.length) return { refused: 'Pick at least one audience to tell.' };
  const audiences: AudienceMessage[] = [];
  for (const a of command.audiences) {
    const text = a.text.trim();
    if (!text) return { refused: `The update for ${a.name} has no text.` };
    if (text.length > LIMITS.update) return { refused: `The update for ${a.name} is ${text.length} characters; keep it under ${LIMITS.update}.` };
    if (audiences.some((b) => b.id === a.id)) continue;
    audiences.push({ ...a, text });
  }
  return [{ type: 'AudienceUpdateSent', audiences, at: command.at, by: command.by }];
}

export function evolveAudiences(current: Record<string, AudienceCadence> | undefined, event: AudienceUpdateSent): Record<string, AudienceCadence> {
  const next = { ...current };
  for (const a of event.audiences) {
    next[a.id] = { name: a.name, lastAt: event.at, customers: a.customers, ...(a.everyMinutes !== undefined && { everyMinutes: a.everyMinutes }) };
  }
  return next;
}

/** "Core on-call team, Front-line support" */
export function audienceNames(audiences: readonly Pick<AudienceMessage, 'name'>[]): string {
  return audiences.map((a) => a.name).join(', ');
}
