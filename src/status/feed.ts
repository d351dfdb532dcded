import { escapeHtml as x } from '../org/template';
import type { StatusView } from './view';

/**
 * The Atom feed of public updates (RFC 4287): one entry per published update, newest first, each linking to its
 * incident on the page. Feed readers and chat integrations poll it; it carries nothing that was not published.
 */
export function historyAtom(view: StatusView, feedUrl: string): string {
  const { page } = view;
  const entries = view.incidents
    .flatMap((i) => i.incident_updates.map((u) => ({ i, u })))
    .sort((a, b) => (a.u.display_at < b.u.display_at ? 1 : a.u.display_at > b.u.display_at ? -1 : 0));
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<id>${x(page.url)}/</id>
<title>${x(page.name)} status</title>
<updated>${x(page.updated_at)}</updated>
<author><name>${x(page.name)}</name></author>
<link rel="self" type="application/atom+xml" href="${x(feedUrl)}"/>
<link rel="alternate" type="text/html" href="${x(page.url)}/"/>
${entries
  .map(
    ({ i, u }) => `<entry>
<id>${x(page.url)}/#update-${x(u.id)}</id>
<title>${x(i.name)}: ${x(u.status)}</title>
<updated>${x(u.display_at)}</updated>
<published>${x(u.display_at)}</published>
<link rel="alternate" type="text/html" href="${x(i.shortlink)}"/>
<content type="text">${x(u.body)}</content>
</entry>`,
  )
  .join('\n')}
</feed>
`;
}
