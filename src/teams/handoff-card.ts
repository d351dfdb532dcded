import type { HandoffSummary } from '../domain/handoff';
import { incidentLabel, utcTime } from '../domain/messages';
import { PHASE_MEANING } from '../domain/vocabulary';
import type { AdaptiveCard } from './cards';
import { plain } from './text';

/**
 * The hand-off card (issue 18 item 3): what the next IC needs, as it stood at the hand-off — state, open roles, when
 * the next update is due, what was verified. Posted in the incident's conversation; the announcement of the hand-off
 * is the follow-up every change of commander gets (react.ts), so this card does not announce it again.
 */
export function handoffCard(s: HandoffSummary): AdaptiveCard {
  const facts = [
    { title: 'Severity', value: `${s.severity}: ${plain(s.severityMeaning)}` },
    { title: 'Phase', value: `${s.phase}: ${PHASE_MEANING[s.phase]}` },
    { title: 'Customer impact', value: s.customerImpact ? 'Yes' : 'No' },
    { title: 'Next update due', value: s.nextUpdateDue ? utcTime(s.nextUpdateDue, s.at) : 'None (resolved)' },
  ];
  const body: unknown[] = [
    { type: 'TextBlock', text: `${incidentLabel(s)} · Hand-off`, weight: 'Bolder', size: 'Small', isSubtle: true, wrap: true },
    { type: 'TextBlock', text: `${plain(s.from.name)} → ${plain(s.to.name)}`, weight: 'Bolder', size: 'Large', wrap: true },
    { type: 'TextBlock', text: plain(s.title), wrap: true, spacing: 'None' },
    { type: 'FactSet', facts },
    { type: 'TextBlock', text: 'Open roles', weight: 'Bolder', spacing: 'Medium' },
    ...(s.openRoles.length ? s.openRoles.map((r) => ({ type: 'TextBlock', text: `• ${plain(r)}`, wrap: true, spacing: 'None' })) : [{ type: 'TextBlock', text: 'None: every expected role is filled.', wrap: true, isSubtle: true, spacing: 'None' }]),
    { type: 'TextBlock', text: 'Verified so far', weight: 'Bolder', spacing: 'Medium' },
    ...(s.verified.length
      ? s.verified.map((v) => ({ type: 'TextBlock', text: `• ${utcTime(v.at, s.at)} ${plain(v.by.name)}: ${plain(v.text)}`, wrap: true, spacing: 'None' }))
      : [{ type: 'TextBlock', text: 'Nothing recorded yet ("note verified: …" adds to this).', wrap: true, isSubtle: true, spacing: 'None' }]),
    { type: 'TextBlock', text: 'Open follow-ups', weight: 'Bolder', spacing: 'Medium' },
    ...(s.openFollowUps.length
      ? s.openFollowUps.map((f) => ({ type: 'TextBlock', text: `• #${f.n} ${plain(f.text)}${f.owner ? ` (${plain(f.owner.name)})` : ''}${f.due ? `, due ${f.due}` : ''}`, wrap: true, spacing: 'None' }))
      : [{ type: 'TextBlock', text: 'None open ("followup …" adds one).', wrap: true, isSubtle: true, spacing: 'None' }]),
  ];
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body, msteams: { width: 'Full' } };
}
