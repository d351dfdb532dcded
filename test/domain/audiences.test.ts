import { nextAudienceUpdateDue } from '../../src/domain/cadence';
import { decide } from '../../src/domain/decide';
import { evolveAll } from '../../src/domain/incident';
import { react } from '../../src/domain/react';
import { timeline } from '../../src/domain/timeline';
import { audienceText, isPreselected } from '../../src/org/audiences';
import { EXAMPLE_ORG_FILE, loadOrgFile, OrgFileError, parseOrgFile } from '../../src/org/load';
import { AT, declareCommand, given, jo } from './fixtures';

const org = loadOrgFile(EXAMPLE_ORG_FILE);
const audience = (id: string) => org.audiences.find((a) => a.id === id)!;
const later = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000).toISOString();
const support = { id: 'support', name: 'Front-line support', text: 'We rolled back.', channels: { teams: '19:support-frontline@thread.tacv2', mail: 'support-leads@example.com' }, customers: true };
const leadership = { id: 'leadership', name: 'Managers and executives', text: 'Rolled back.', channels: { mail: 'incident-leadership@example.com' }, customers: false };

describe('audience updates', () => {
  it('given an incident, when audiences are sent an update, each is told on its own channels, on the timeline with its audiences', () => {
    const { state } = given(declareCommand({ severity: 3 }));
    const events = decide({ type: 'SendAudienceUpdate', audiences: [support, leadership], at: later(5), by: jo }, state);
    expect(events).toEqual([{ type: 'AudienceUpdateSent', audiences: [support, leadership], at: later(5), by: jo }]);
    const after = evolveAll(events as never, state)!;
    const effects = react(events as never, after);
    expect(effects.filter((e) => e.kind !== 'card.refresh' && e.kind !== 'escalate.overdue').map((e) => [e.kind, e.kind === 'mail.send' ? (e.payload as { to: string }).to : e.kind === 'message.post' ? e.payload.conversation.id : e.notBefore])).toEqual([
      ['message.post', '19:support-frontline@thread.tacv2'],
      ['mail.send', 'support-leads@example.com'],
      ['mail.send', 'incident-leadership@example.com'],
      ['reminder.update', later(125)], // the incident's own cadence: stakeholders heard from us
      ['reminder.update', later(125)],
      ['reminder.update', later(125)],
    ]);
    expect(after.lastUpdateAt).toBe(later(5));
    const entries = timeline(state.id, [{ version: 1, event: given(declareCommand({ severity: 3 })).events[0] }, { version: 2, event: (events as never[])[0] }]);
    expect(entries[1].text).toBe('Update to Front-line support, Managers and executives. Front-line support: We rolled back. | Managers and executives: Rolled back.');
  });

  it('with customer impact the customers-facing audience is due within the hour, others keep their cadence; severity moves them', () => {
    const { state } = given(declareCommand({ severity: 3, customerImpact: true }), { type: 'SendAudienceUpdate', audiences: [support, leadership], at: AT, by: jo });
    expect(nextAudienceUpdateDue(state, 'support')).toBe(later(60));
    expect(nextAudienceUpdateDue(state, 'leadership')).toBe(later(120));
    const events = decide({ type: 'ChangeSeverity', severity: 1, at: later(1), by: jo }, state) as never[];
    const after = evolveAll(events, state)!;
    expect(nextAudienceUpdateDue(after, 'leadership')).toBe(later(30));
    expect(react(events, after).filter((e) => e.kind === 'reminder.update').map((e) => e.payload)).toEqual([
      { due: later(30) },
      { due: later(30), audience: 'support' },
      { due: later(30), audience: 'leadership' },
    ]);
  });

  it('refuses an empty pick and an empty text in plain words', () => {
    const { state } = given(declareCommand());
    expect(decide({ type: 'SendAudienceUpdate', audiences: [], at: AT, by: jo }, state)).toEqual({ refused: 'Pick at least one audience to tell.' });
    expect(decide({ type: 'SendAudienceUpdate', audiences: [{ ...support, text: '  ' }], at: AT, by: jo }, state)).toEqual({ refused: 'The update for Front-line support has no text.' });
  });
});

describe('the organisation file: audiences', () => {
  it('preselects by severity and customer impact, as the file says', () => {
    const picked = (severity: 1 | 2 | 3 | 4, customerImpact: boolean) => org.audiences.filter((a) => isPreselected(a, { severity, customerImpact })).map((a) => a.id);
    expect(picked(4, false)).toEqual(['core']);
    expect(picked(3, true)).toEqual(['core', 'support', 'customers']);
    expect(picked(2, false)).toEqual(['core', 'support', 'leadership']);
    expect(picked(1, true)).toEqual(['core', 'support', 'leadership', 'employees', 'customers']);
  });

  it("fills an audience's template with the update and its own next update time", () => {
    const { state } = given(declareCommand({ severity: 2 }));
    expect(audienceText(state, audience('leadership'), 'update', 'Rolled back <b>now</b>.', later(10))).toBe(`INC-1: Rolled back <b>now</b>. Next update by ${later(70).slice(11, 16)} UTC.`);
    expect(audienceText(state, audience('core'), 'update', 'Rolled back.', later(10))).toBe(`INC-1: Rolled back. Next update by ${later(40).slice(11, 16)} UTC.`);
  });

  it('refuses an unknown preselection and a cadence out of range, at their lines', () => {
    const source = readExample().replace('preselect: [sev1]', 'preselect: [sev9]').replace('every_minutes: 30', 'every_minutes: 1');
    const problems = (() => {
      try {
        parseOrgFile(source, 'org.yml');
        return [];
      } catch (err) {
        return (err as OrgFileError).problems;
      }
    })();
    const line = (text: string) => source.split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^org.yml:${line('[sev9]')}:\\d+ audiences.3.preselect.0 must be equal to one of the allowed values`)), expect.stringMatching(new RegExp(`^org.yml:${line('every_minutes: 1')}:\\d+ audiences.0.every_minutes must be >= 5`))]));
  });
});

function readExample(): string {
  return require('node:fs').readFileSync(EXAMPLE_ORG_FILE, 'utf8');
}

describe('audience cadence across a resolution', () => {
  it('a resolved incident owes no audience an update; reopened, each is due a full interval from the reopening', () => {
    const support = { id: 'support', name: 'Front-line support', text: 'Rolled back.', channels: { mail: 'support-leads@example.com' }, customers: true };
    const { state } = given(declareCommand({ severity: 2 }), { type: 'SendAudienceUpdate', audiences: [support], at: AT, by: jo }, { type: 'ResolveIncident', at: later(10), by: jo });
    expect(nextAudienceUpdateDue(state, 'support')).toBeUndefined();
    const reopened = evolveAll(decide({ type: 'ReopenIncident', at: later(200), by: jo }, state) as never[], state)!;
    expect(nextAudienceUpdateDue(reopened, 'support')).toBe(later(260));
  });
});
