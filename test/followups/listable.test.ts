import { evolveAll } from '../../src/domain/incident';
import { listableIn, type OpenItem } from '../../src/followups/query';
import { declareCommand, given, jo, sam } from '../domain/fixtures';

const policy = { windowDays: 5, timeZone: 'Etc/UTC', hour: 9 };
function openItem(isPrivate: boolean, owner = sam): OpenItem {
  const { state } = given(declareCommand({ private: isPrivate }), { type: 'AddFollowUp', text: 'Rotate the key', owner, policy, at: '2026-03-15T00:10:00.000Z', by: jo });
  return { incident: evolveAll([], state)!, item: state.followUps![0] };
}

describe('which follow-ups a conversation may list (everyone in it reads the answer)', () => {
  const elsewhere = { id: '19:general@thread.tacv2', conversationType: 'channel' };
  it("a public incident's items anywhere; a private one's only in its own conversations or to its owner in a 1:1", () => {
    expect(listableIn(elsewhere, jo)(openItem(false))).toBe(true);
    expect(listableIn(elsewhere, sam)(openItem(true))).toBe(false);
    const own = openItem(true);
    expect(listableIn({ id: `${own.incident.origin.id.split(';')[0]};messageid=99`, conversationType: 'channel' }, jo)(own)).toBe(true);
    expect(listableIn({ id: 'a:1on1-sam', conversationType: 'personal' }, sam)(openItem(true))).toBe(true);
    expect(listableIn({ id: 'a:1on1-jo', conversationType: 'personal' }, jo)(openItem(true))).toBe(false); // not theirs
  });
});
