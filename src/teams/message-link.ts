/**
 * The only links Firebreak shows as "Declared from" or keeps with a timeline entry: links to a Teams message, as
 * Teams itself puts them in `messagePayload.linkToMessage`
 * (https://teams.microsoft.com/l/message/<conversation id>/<message id>?…). Anything else, however it arrived, is
 * dropped: a link on an incident card is a promise that it leads to the message the incident was declared from.
 * @example teamsMessageLink('https://teams.microsoft.com/l/message/19:ops@thread.tacv2/1616?tenantId=t') // the same, normalised
 * @example teamsMessageLink('https://evil.example/l/message/x') // undefined
 */
export function teamsMessageLink(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.hostname !== 'teams.microsoft.com' || url.port || url.username || url.password) return undefined;
  if (!url.pathname.startsWith('/l/message/') || url.pathname.length <= '/l/message/'.length) return undefined;
  return url.href;
}

/** A URL as the target of a Markdown link: the characters that would end or break `[text](url)` percent-encoded. */
export function markdownTarget(url: string): string {
  return url.replace(/[()\s<>\\]/g, (c) => encodeURIComponent(c));
}
