import { mayChange, personFor } from '../../../src/google/addon/people';
import { AT, declareCommand, given, jo } from '../../domain/fixtures';

/** Attribution and rights for sidebar actions (pure rules; the endpoint tests show them over HTTP). */
const kim = { id: '29:kim', name: 'Kim Ito', email: 'Kim.Ito@contoso.com' };
const lee = { id: '29:lee', name: 'Lee Ono', email: 'lee@contoso.com' };

test('the Teams person the incident knows by email, wherever the incident met them', () => {
  const { state, events } = given(
    declareCommand({ by: jo }),
    { type: 'ChangeCommander', to: kim, mode: 'handoff', at: AT, by: jo },
    { type: 'RecordMessage', messageId: 'm1', text: 'lag is 40 s', author: lee, sentAt: AT, at: AT, by: kim },
  );
  // Kim was handed command (an event's `to`, and now the commander); Lee only wrote a message someone recorded.
  expect(personFor({ email: 'kim.ito@contoso.com' }, state, events)).toEqual(kim);
  expect(personFor({ email: 'lee@contoso.com' }, state, events)).toEqual(lee);
  expect(personFor({ email: 'max@contoso.com', name: 'Max Roe' }, state, events)).toEqual({ id: 'google:max@contoso.com', name: 'Max Roe', email: 'max@contoso.com' });
});

test('only accounts of an allowed Workspace domain may change; the reason names the account', () => {
  expect(mayChange({ email: 'kim@contoso.com', hostedDomain: 'contoso.com' }, ['contoso.com'])).toEqual({ ok: true });
  // A Workspace alias domain: the account's Workspace (hd) is what counts.
  expect(mayChange({ email: 'kim@contoso-labs.com', hostedDomain: 'contoso.com' }, ['contoso.com'])).toEqual({ ok: true });
  const personal = mayChange({ email: 'kim@contoso.com' }, ['contoso.com']);
  expect(personal).toEqual({ ok: false, reason: expect.stringContaining('you are signed in as kim@contoso.com, a personal Google account') });
  const vendor = mayChange({ email: 'pat@vendor.example', hostedDomain: 'vendor.example' }, ['contoso.com']);
  expect(vendor).toEqual({ ok: false, reason: expect.stringContaining('of contoso.com can change incidents here; you are signed in as pat@vendor.example (vendor.example)') });
});
