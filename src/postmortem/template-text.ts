import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTemplate } from '../google/template';

/** The postmortem doc's template (templates/postmortem-doc.md), read once. */
export const POSTMORTEM_TEMPLATE_FILE = path.resolve(__dirname, '../../templates/postmortem-doc.md');
export const POSTMORTEM_TEMPLATE = readFileSync(POSTMORTEM_TEMPLATE_FILE, 'utf8');

/**
 * The template's own guidance paragraphs: what people wrote is what is left once these are taken out (the cause's
 * guidance quotes "Jim pushed bad code" as the example not to follow; the blameless check must not flag it).
 */
export const POSTMORTEM_TEMPLATE_GUIDANCE: ReadonlySet<string> = new Set(
  parseTemplate(POSTMORTEM_TEMPLATE)
    .filter((b) => b.kind === 'paragraph' && b.style === 'NORMAL_TEXT' && !b.text.includes('{{'))
    .map((b) => (b.kind === 'paragraph' ? b.text : '')),
);
