import type { Incident } from '../domain/incident';
import { audienceDueLines } from '../domain/audience-messages';
import { isPreselected, momentsOf } from '../org/audiences';
import type { Audience, Moment, OrgFile } from '../org/schema';
import type { AdaptiveCard } from '../teams/cards';
import { plain } from '../teams/text';

/** The card's inputs, by audience id: ticked, which template, the text as edited (empty: the template's). */
export interface CardInputs {
  summary: string;
  picked: Record<string, boolean>;
  moment: Record<string, string>;
  text: Record<string, string>;
}

export const VERB_PREVIEW = 'audiences.preview';
export const VERB_SEND = 'audiences.send';

const MOMENT_LABEL: Record<Moment, string> = { first_contact: 'First contact', update: 'Update', resolution: 'Resolution', postmortem_summary: 'Postmortem summary' };

/** The inputs a fresh card starts from: audiences ticked by the organisation file's preselection, each on `update`. */
export function freshInputs(org: OrgFile, incident: Incident): CardInputs {
  const inputs: CardInputs = { summary: '', picked: {}, moment: {}, text: {} };
  for (const a of org.audiences) {
    inputs.picked[a.id] = isPreselected(a, incident);
    inputs.moment[a.id] = momentsOf(a)[0];
  }
  return inputs;
}

/** Reads the card's inputs back from an `Action.Execute`'s data (Teams merges the inputs into it). */
export function readInputs(org: OrgFile, data: Record<string, unknown>): CardInputs {
  const str = (name: string) => (typeof data[name] === 'string' ? (data[name] as string) : '');
  const inputs: CardInputs = { summary: str('summary'), picked: {}, moment: {}, text: {} };
  for (const a of org.audiences) {
    inputs.picked[a.id] = str(`pick_${a.id}`) === 'true';
    const moment = str(`moment_${a.id}`);
    inputs.moment[a.id] = momentsOf(a).includes(moment as Moment) ? moment : momentsOf(a)[0];
    // A text left as the last preview rendered it was not edited: it follows the summary and template chosen now.
    const text = str(`text_${a.id}`);
    inputs.text[a.id] = text.trim() === str(`rendered_${a.id}`).trim() ? '' : text;
  }
  return inputs;
}

/**
 * `update`'s card: pick the audiences and a template each, write the update once, edit any audience's text, preview
 * them side by side, send. `previews` (audience id → text) fills the side-by-side columns and the edit boxes.
 */
export function audienceUpdateCard(org: OrgFile, incident: Incident, inputs: CardInputs, opts: { previews?: Record<string, string>; notice?: string } = {}): AdaptiveCard {
  const body: unknown[] = [];
  if (opts.notice) body.push({ type: 'TextBlock', text: plain(opts.notice), wrap: true, weight: 'Bolder', color: 'Attention' });
  body.push({ type: 'TextBlock', text: plain(`Update for INC-${incident.number}: ${incident.title}`), weight: 'Bolder', size: 'Medium', wrap: true });
  const due = audienceDueLines(incident);
  if (due.length) body.push({ type: 'TextBlock', text: plain(due.join('\n')), wrap: true, isSubtle: true, spacing: 'Small' });
  body.push({ type: 'Input.Text', id: 'summary', label: 'What changed ({{summary}} in the templates)', isMultiline: true, maxLength: 1000, value: inputs.summary });
  for (const a of org.audiences) body.push(audienceRow(a, inputs, opts.previews?.[a.id]));
  const previews = org.audiences.filter((a) => opts.previews?.[a.id] !== undefined);
  // What each edit box was filled with, sent back with the next press (Teams merges the inputs into `data`).
  const data = { incidentId: incident.id, ...Object.fromEntries(previews.filter((a) => !inputs.text[a.id]).map((a) => [`rendered_${a.id}`, opts.previews![a.id]])) };
  if (previews.length) {
    body.push({ type: 'TextBlock', text: 'Preview', weight: 'Bolder', separator: true });
    body.push({
      type: 'ColumnSet',
      columns: previews.map((a) => ({
        type: 'Column',
        width: 'stretch',
        items: [
          { type: 'TextBlock', text: plain(a.name), weight: 'Bolder', wrap: true },
          { type: 'TextBlock', text: plain(opts.previews![a.id]), wrap: true },
        ],
      })),
    });
  }
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions: [
      { type: 'Action.Execute', title: 'Preview', verb: VERB_PREVIEW, data },
      { type: 'Action.Execute', title: 'Send', verb: VERB_SEND, style: 'positive', data },
    ],
  };
}

function audienceRow(a: Audience, inputs: CardInputs, preview: string | undefined): unknown {
  const where = [a.channels.teams && 'Teams channel', a.channels.mail && `mail ${a.channels.mail}`, a.channels.statusPage && 'status page (publish it with "publish …")'].filter(Boolean).join(', ');
  return {
    type: 'Container',
    separator: true,
    items: [
      { type: 'Input.Toggle', id: `pick_${a.id}`, title: `${a.name} (${where})`, value: inputs.picked[a.id] ? 'true' : 'false', valueOn: 'true', valueOff: 'false' },
      {
        type: 'Input.ChoiceSet',
        id: `moment_${a.id}`,
        label: 'Template',
        style: 'compact',
        value: inputs.moment[a.id],
        choices: momentsOf(a).map((m) => ({ title: MOMENT_LABEL[m], value: m })),
      },
      { type: 'Input.Text', id: `text_${a.id}`, label: 'Text (empty: the template, filled in)', isMultiline: true, maxLength: 1000, value: inputs.text[a.id] || preview || '' },
    ],
  };
}

/** After sending: who was told, and what is left to do by hand (the status page is published with `publish`). */
export function sentCard(incident: Incident, lines: string[]): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: plain(`Update for INC-${incident.number}`), weight: 'Bolder', size: 'Medium', wrap: true },
      ...lines.map((line) => ({ type: 'TextBlock', text: plain(line), wrap: true, color: 'Good' })),
      ...audienceDueLines(incident).map((line) => ({ type: 'TextBlock', text: plain(line), wrap: true, isSubtle: true, spacing: 'Small' })),
    ],
  };
}
