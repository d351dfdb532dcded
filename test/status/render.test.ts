import { EXAMPLE_ORG_FILE, loadOrgFile } from '../../src/org/load';
import { embedScript } from '../../src/status/embed';
import { historyAtom } from '../../src/status/feed';
import { statusPageHtml } from '../../src/status/page';
import { apiDocuments, buildView } from '../../src/status/view';
import type { PublishedIncident } from '../../src/store/status-page-store';
import { statuspageErrors } from '../harness/statuspage';

/** The status page's renderings from published data alone: rollup, escaping in each format, Statuspage's shape. */
const org = loadOrgFile(EXAMPLE_ORG_FILE);
const AT = '2026-12-03T10:40:11.000Z';
const HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)> & "quotes" \u2028';

function incident(over: Partial<PublishedIncident> = {}): PublishedIncident {
  return {
    id: 'cz46ym8qqr2d',
    name: `Investigating ${HOSTILE}`,
    status: 'investigating',
    impact: 'minor',
    startedAt: AT,
    createdAt: AT,
    updatedAt: AT,
    monitoringAt: null,
    resolvedAt: null,
    updates: [{ id: '3mmhs8kmq7ql', status: 'investigating', body: `Body ${HOSTILE}`, affected: [{ id: 'search', oldStatus: 'operational', newStatus: 'partial_outage' }], displayAt: AT, createdAt: AT }],
    ...over,
  };
}
const components = [{ id: 'search', status: 'partial_outage' as const, createdAt: AT, updatedAt: AT }];

test('the rollup is the worst of the open incidents\' impact and the components\' status', () => {
  const view = (incidents: PublishedIncident[], c = components) => buildView(org, { incidents, components: c }, 'https://status.example.test', new Date(AT)).status;
  expect(view([], [])).toEqual({ indicator: 'none', description: 'All Systems Operational' });
  expect(view([incident()], [])).toEqual({ indicator: 'minor', description: 'Minor Service Outage' });
  expect(view([incident()])).toEqual({ indicator: 'major', description: 'Partial System Outage' });
  expect(view([incident({ impact: 'critical' })])).toEqual({ indicator: 'critical', description: 'Major Service Outage' });
  expect(view([incident({ impact: 'critical', status: 'resolved', resolvedAt: AT })], [])).toEqual({ indicator: 'none', description: 'All Systems Operational' });
});

test('published text is escaped in the page, the feed and the embed, and the documents keep Statuspage\'s shape', () => {
  const view = buildView(org, { incidents: [incident()], components }, 'https://status.example.test', new Date(AT));
  for (const [name, doc] of Object.entries(apiDocuments(view))) if (!name.includes('/upcoming') && !name.includes('/active')) expect(statuspageErrors(name, doc)).toEqual([]);
  const page = statusPageHtml(view, 'https://status.example.test/history.atom');
  expect(page).not.toContain('<script>');
  expect(page).not.toContain('<img');
  expect(page).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quotes&quot;');
  const feed = historyAtom(view, 'https://status.example.test/history.atom');
  expect(feed).not.toContain('<img');
  expect(feed).toContain('<content type="text">Body &lt;/script&gt;');
  const embed = embedScript(view);
  expect(embed).not.toContain('</script>');
  expect(embed).not.toContain('\u2028');
  // What the embed carries is the same text once its JSON is read back.
  const json = /var data = (.*);\n/.exec(embed)![1];
  expect(JSON.parse(json).incidents[0].name).toBe(`Investigating ${HOSTILE}`);
});
