import type { MessageLink } from '../domain/messages';

/**
 * User text goes into Adaptive Card TextBlocks and Teams messages, which render a Markdown subset.
 * Escaping keeps "*", "[x](y)", "# " and "<at>" literal, so a title can't restyle the card,
 * inject a link or spoof a mention.
 */
export function plain(text: string): string {
  return text
    .replace(/[\\`*_[\]<>~]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-+#])(?=\s)/gm, '$1\\$2')
    .replace(/^(\s*)(\d+)\.(?=\s)/gm, '$1$2\\.'); // only punctuation can be escaped: "1\. first"
}

/** Lines of plain text as Markdown paragraphs (Teams collapses single newlines), each escaped by `markdownLine`. */
export function markdownParagraphs(text: string): string {
  return text.split('\n').map(markdownLine).join('\n\n');
}

/** A message of plain lines, as Markdown paragraphs. */
export function markdownMessage(text: string) {
  return { type: 'message', text: markdownParagraphs(text), textFormat: 'markdown' } as const;
}

/**
 * Escapes a line of text for Markdown but leaves its http(s) links intact, so Teams still makes them clickable. A link
 * ends at a character that could start markup (`<at>` mentions, `[text](url)` links, code) and sheds the sentence
 * punctuation after it; what follows is escaped like any text.
 */
export function markdownLine(line: string): string {
  return line
    .split(/(https?:\/\/[^\s()<>"'`[\]\\]*[^\s()<>"'`[\]\\.,;:!?])/)
    .map((part, i) => (i % 2 === 1 ? part : plain(part)))
    .join('');
}

/**
 * `markdownLine`, with the message's own known links (a channel, the bridge, the doc, written out as "label (url)")
 * shown as Markdown links. Only those exact texts: a person's words are never turned into a link with another label.
 */
export function markdownWithLinks(line: string, links: readonly MessageLink[] = []): string {
  const known = links.filter((l) => line.includes(l.text));
  if (!known.length) return markdownLine(line);
  const pattern = new RegExp(known.map((l) => l.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  let out = '';
  let last = 0;
  for (const m of line.matchAll(pattern)) {
    const link = known.find((l) => l.text === m[0])!;
    out += `${markdownLine(line.slice(last, m.index))}[${plain(link.label)}](${link.url.replace(/[()\s]/g, encodeURIComponent)})`;
    last = m.index! + m[0].length;
  }
  return out + markdownLine(line.slice(last));
}

/** Collapses whitespace and cuts to `max` characters with a visible marker. */
export function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/** The text of a Teams message with the bot's own mention and HTML removed. */
export function commandText(text: string | undefined): string {
  return decodeEntities(
    (text ?? '')
      .replace(/<at>[^<]*<\/at>/gi, ' ')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(p|div)>/gi, '\n')
      .replace(/<[^>]+>/g, ''),
  )
    .replace(/[ \t\u00a0]+/g, ' ')
    .trim();
}

function decodeEntities(s: string): string {
  return s
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
