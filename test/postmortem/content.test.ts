import { readFileSync } from 'node:fs';
import path from 'node:path';
import { postmortemBlocks } from '../../src/postmortem/content';
import { AT, declareCommand, given, jo, sam } from '../domain/fixtures';

const TEMPLATE = readFileSync(path.resolve(__dirname, '../../templates/postmortem-doc.md'), 'utf8');
const later = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000).toISOString();

function draft(detection?: 'monitoring' | 'colleague' | 'customer', service?: string, withFollowUps = false) {
  const { events, state } = given(
    declareCommand({ customerImpact: true, detection, ...(service && { service }), ...(detection === 'monitoring' && { detectedAt: later(-4) }) }),
    { type: 'JoinIncident', at: later(3), by: sam },
    { type: 'AddNote', kind: 'note', text: 'Replica lag 40 s\non db-2', at: later(5), by: sam },
    { type: 'AddNote', kind: 'action', text: 'failing over to db-3', at: later(8), by: jo },
    { type: 'ChangeSeverity', severity: 1, at: later(9), by: jo },
    { type: 'ChangeCustomerImpact', customerImpact: false, at: later(20), by: jo },
    ...(withFollowUps
      ? ([
          { type: 'AddFollowUp', text: 'Alert on replication lag', owner: sam, due: '2026-03-18', policy: { windowDays: 5, timeZone: 'Etc/UTC', hour: 9 }, at: later(30), by: jo },
          { type: 'AddFollowUp', text: 'Replace the database cluster', policy: { windowDays: 5, timeZone: 'Etc/UTC', hour: 9 }, at: later(31), by: jo },
        ] as const)
      : []),
    { type: 'ResolveIncident', summary: 'Failed over to db-3.', at: later(62), by: jo },
  );
  const blocks = postmortemBlocks(TEMPLATE, { incident: state, events: events.map((event, i) => ({ version: i + 1, event })) });
  const text = blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.text] : b.rows.map((r) => r.join(' | '))));
  return { blocks, text };
}

describe('the postmortem draft from the event log', () => {
  it('has the figures, the timeline with who joined when, the severity history, and empty sections with guidance', () => {
    const { blocks, text } = draft('monitoring');
    const rows = (header: string) => blocks.find((b) => b.kind === 'table' && b.rows[0][0] === header)!;
    expect(rows('Moment')).toEqual({
      kind: 'table',
      rows: [
        ['Moment', 'Time (UTC)'],
        ['Detected', '2026-03-14 23:58'],
        ['Declared', '2026-03-15 00:02'],
        ['Mitigated (impact ended)', '2026-03-15 00:22'],
        ['Resolved', '2026-03-15 01:04'],
        ['Time to detect', '4 min'],
        ['Time to mitigate', '24 min'],
        ['Time to resolve', '1 h 06 min'],
      ],
    });
    const timeline = rows('Time (UTC)');
    expect(timeline.kind === 'table' && timeline.rows.slice(1)).toEqual([
      ['2026-03-15 00:02', 'Jo Park', 'Declared: Production has failed over to secondary database (severity 2). Jo Park is incident commander.'],
      ['2026-03-15 00:05', 'Sam Lee', 'Sam Lee joined the response.'],
      ['2026-03-15 00:07', 'Sam Lee', 'Replica lag 40 s on db-2'],
      ['2026-03-15 00:10', 'Jo Park', 'ACTION (announced before doing it): failing over to db-3'],
      expect.arrayContaining(['2026-03-15 00:11', 'Jo Park']),
      expect.arrayContaining(['2026-03-15 00:22', 'Jo Park']),
      // Customer impact ended: the team was sent on its break (src/domain/breaks.ts), which is on the timeline too.
      ['2026-03-15 00:22', 'Jo Park', 'Impact ended: team break until 00:37 UTC.'],
      expect.arrayContaining(['2026-03-15 01:04']),
      ['2026-03-15 01:04', 'Jo Park', 'Resolved. Failed over to db-3.'],
    ]);
    expect(text).toEqual(
      expect.arrayContaining([
        'Postmortem: INC-1 Production has failed over to secondary database',
        'Failed over to db-3.',
        'Customer impact: Yes: 2026-03-15 00:02 to 2026-03-15 00:22. What did customers see?',
        'Duration: 1 h 06 min',
        'Severity history:',
        '2026-03-15 00:11: severity 2 → 1, by Jo Park.',
      ]),
    );
    expect(text.some((t) => t.startsWith('2026-03-15 00:02: declared at severity 2 ('))).toBe(true);
    expect(text).toContain('Monitoring: an alert fired.');
    for (const heading of ['Cause', 'Steps taken to resolve', 'Steps to prevent recurrence', 'Action items']) {
      expect(blocks).toContainEqual({ kind: 'paragraph', style: 'HEADING_1', text: heading });
    }
    expect(text.join('\n')).not.toMatch(/\{\{|blind spot for/);
    expect(rows('Action')).toEqual({ kind: 'table', rows: [['Action', 'Owner', 'Due', 'State']] });
  });

  it("lists the incident's follow-up items in the Action items table", () => {
    const { blocks } = draft('monitoring', undefined, true);
    const table = blocks.find((b) => b.kind === 'table' && b.rows[0][0] === 'Action');
    expect(table).toEqual({
      kind: 'table',
      rows: [
        ['Action', 'Owner', 'Due', 'State'],
        ['#1 Alert on replication lag', 'Sam Lee', '2026-03-18', 'open'],
        ['#2 Replace the database cluster', 'nobody yet', 'planning', 'open'],
      ],
    });
  });

  it('found by a customer or a colleague: says so, and proposes closing the blind spot', () => {
    expect(draft('customer', 'checkout-api').text).toEqual(
      expect.arrayContaining([
        'A customer told us, not our monitoring: a monitoring blind spot.',
        'Suggested action item: close the monitoring blind spot for checkout-api (found by a customer, not by an alert).',
      ]),
    );
    expect(draft('colleague').text).toContain('Suggested action item: close the monitoring blind spot for the service behind "Production has failed over to secondary database" (found by a colleague, not by an alert).');
  });

  it('names the service the incident was declared for: in the blind-spot suggestion, and as the one whose alert fired', () => {
    const { text } = draft('colleague', 'checkout');
    expect(text).toContain('Suggested action item: close the monitoring blind spot for checkout (found by a colleague, not by an alert).');
    expect(text.join('\n')).not.toContain('the service behind');
    const found = draft('monitoring', 'payments').text;
    expect(found).toContain('Monitoring: an alert fired for payments.');
    expect(found.join('\n')).not.toContain('blind spot for');
  });
});
