import type { RoleName, Severity } from '../domain/incident';
import { SEVERITY_MEANING } from '../domain/vocabulary';
import { PUBLISH_USAGE } from '../status/publish';
import { EXPERTS_USAGE } from '../oncall/chat';
import { POSTMORTEM_USAGE } from '../postmortem/chat';
import { PAGE_USAGE } from '../paging/chat';
import { FOLLOWUP_USAGE, FOLLOWUPS_USAGE } from '../followups/parse';

/** What a message to the bot asks for, before people and incidents are resolved. */
export type Intent =
  | { kind: 'declare'; title: string; severity?: number }
  | { kind: 'severity'; value: number }
  | { kind: 'phase'; value: number }
  | { kind: 'impact'; value: boolean }
  | { kind: 'commander' }
  | { kind: 'role'; role: RoleName }
  | { kind: 'note'; text: string }
  | { kind: 'action'; text: string; procedure?: boolean }
  | { kind: 'update'; text: string }
  | { kind: 'resolve'; summary?: string; confirm?: boolean }
  | { kind: 'reopen'; reason?: string }
  | { kind: 'publish'; text: string }
  | { kind: 'status' }
  | { kind: 'incidents' }
  | { kind: 'experts'; service: string }
  | { kind: 'page'; text: string }
  | { kind: 'help' }
  | { kind: 'usage'; verb: string; usage: string }
  | { kind: 'unknown'; text: string };

export const USAGE = {
  declare: 'declare [sev1-4] <what we perceive>   e.g. declare sev2 Checkout API returning 500s',
  sev: 'sev <1-4>   (1 is the most severe)',
  phase: 'phase <0-3>   (0 discovery, 1 stop the bleeding, 2 full resolution, 3 learn and rebuild)',
  impact: 'impact <yes|no>   (are customers affected? updates then come at least hourly)',
  ic: 'ic @person   (hand off command, or name yourself to take it)',
  role: 'role <comms|customer|business|sme> @person',
  note: 'note <text>   (adds to the timeline)',
  action: 'action [procedure] <text>   (announce a destructive step before doing it: restart, failover, restore; "procedure": a long one, the team takes a short break first)',
  update: 'update <text>   (a stakeholder update; "update" alone: a card to pick audiences; "update <audience>: <text>": one audience)',
  resolve: 'resolve [summary]   (asks first, showing where it stands; "resolve confirm [summary]" resolves at once)',
  reopen: 'reopen [why]   (a resolved incident, within 7 days of resolving: back to phase 2)',
  publish: PUBLISH_USAGE,
  status: 'status',
  incidents: 'incidents   (every active incident, from any conversation)',
  experts: EXPERTS_USAGE,
  postmortem: POSTMORTEM_USAGE,
  page: PAGE_USAGE,
  followup: FOLLOWUP_USAGE,
  followups: FOLLOWUPS_USAGE,
  help: 'help',
} as const;

const ROLE_ALIASES: Record<string, RoleName> = {
  comms: 'comms',
  communications: 'comms',
  customer: 'customer',
  business: 'business',
  sme: 'sme',
  expert: 'sme',
};

/**
 * Parses the text of a message to the bot (mentions already removed).
 * @example parseCommand('declare sev2 Checkout API returning 500s') // { kind: 'declare', severity: 2, title: 'Checkout API returning 500s' }
 */
export function parseCommand(text: string): Intent {
  const trimmed = text.trim();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!match) return { kind: 'help' };
  const verb = match[1].toLowerCase().replace(/^\//, '');
  const rest = match[2].trim();
  const usage = (v: keyof typeof USAGE): Intent => ({ kind: 'usage', verb: v, usage: USAGE[v] });

  switch (verb) {
    case 'declare': {
      const sev = /^(?:sev(?:erity)?\s*|s)([0-9]+)\b\s*([\s\S]*)$/i.exec(rest);
      const title = (sev ? sev[2] : rest).trim();
      if (!title) return usage('declare');
      return sev ? { kind: 'declare', title, severity: Number(sev[1]) } : { kind: 'declare', title };
    }
    case 'sev':
    case 'severity':
      return /^-?\d+$/.test(rest) ? { kind: 'severity', value: Number(rest) } : usage('sev');
    case 'phase':
      return /^-?\d+$/.test(rest) ? { kind: 'phase', value: Number(rest) } : usage('phase');
    case 'impact': {
      const answer = rest.toLowerCase();
      if (['yes', 'y', 'true', 'on'].includes(answer)) return { kind: 'impact', value: true };
      if (['no', 'n', 'false', 'off'].includes(answer)) return { kind: 'impact', value: false };
      return usage('impact');
    }
    case 'ic':
    case 'commander':
      return { kind: 'commander' };
    case 'role': {
      const role = ROLE_ALIASES[(rest.split(/\s+/)[0] ?? '').toLowerCase()];
      return role ? { kind: 'role', role } : usage('role');
    }
    case 'action': {
      // `action procedure restore cluster X`: a long procedure is about to start (issue 18 item 2).
      const procedure = /^procedure\b\s*([\s\S]*)$/i.exec(rest);
      if (procedure) return procedure[1].trim() ? { kind: 'action', text: procedure[1].trim(), procedure: true } : usage('action');
      return rest ? { kind: 'action', text: rest } : usage('action');
    }
    case 'note':
    case 'update':
      return rest ? { kind: verb, text: rest } : usage(verb);
    case 'resolve': {
      // `resolve confirm [summary]` (issue 18's name too) resolves; anything else asks first, keeping the summary.
      const confirmed = /^confirm(?:\s+([\s\S]*))?$/i.exec(rest);
      const summary = (confirmed ? (confirmed[1] ?? '') : rest).trim();
      return { kind: 'resolve', ...(summary ? { summary } : {}), ...(confirmed ? { confirm: true } : {}) };
    }
    case 'reopen':
      return rest ? { kind: 'reopen', reason: rest } : { kind: 'reopen' };
    case 'publish':
      return { kind: 'publish', text: rest };
    case 'status':
      return { kind: 'status' };
    case 'incidents':
      return { kind: 'incidents' };
    case 'experts':
    case 'oncall':
      return { kind: 'experts', service: rest };
    case 'page':
      return { kind: 'page', text: rest };
    case 'help':
    case '?':
      return { kind: 'help' };
    default:
      return { kind: 'unknown', text: trimmed };
  }
}

/** The commands, then what each severity means here (the organisation's words, from its policy). */
export function helpText(severityMeaning: Record<Severity, string> = SEVERITY_MEANING): string {
  return [
    'Firebreak commands (mention me in a channel, or just type in a chat with me):',
    ...Object.values(USAGE).map((u) => `• ${u}`),
    'Severities:',
    ...Object.entries(severityMeaning).map(([n, meaning]) => `• ${n}: ${meaning}`),
    'Where several incidents could be meant (a chat), start with the number: "INC-7 note …".',
  ].join('\n');
}
