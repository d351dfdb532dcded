import type { GraphEmulator } from '../../../src/sandbox/graph/server';
import { ALL_ROLES, graphFor, SENDER, startEmulator } from './setup';

/**
 * sendMail with a file attached (the postmortem review's .ics): Graph wants `"@odata.type":
 * "#microsoft.graph.fileAttachment"`, `name` and base64 `contentBytes` (fileAttachment resource, v1.0).
 */
let emulator: GraphEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ roles: ALL_ROLES });
});
afterAll(() => emulator.close());

test('an attachment goes as a fileAttachment, its text base64-encoded, and arrives intact', async () => {
  const ics = 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nSUMMARY:Revue d’incident — é\r\nEND:VCALENDAR\r\n';
  await graphFor(emulator).sendMail({ sender: SENDER, to: ['alice@contoso.test'], subject: 'Review', text: 'See the invitation.', key: 'postmortem.review:inc-1', attachments: [{ name: 'invite.ics', contentType: 'text/calendar; method=REQUEST', content: ics }] });
  const [attachment] = emulator.mailbox().at(-1)!.attachments!;
  expect(attachment).toMatchObject({ name: 'invite.ics', contentType: 'text/calendar; method=REQUEST' });
  expect(Buffer.from(attachment.contentBytes, 'base64').toString('utf8')).toBe(ics);
});
