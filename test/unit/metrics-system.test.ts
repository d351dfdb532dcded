import { systemOf } from '../../src/metrics/registry';

/** docs/operations.md alerts on failures per outside system: every effect kind must be counted under the one it calls. */
test.each([
  ['card.post', 'bot-connector'],
  ['chat.reply', 'bot-connector'],
  ['chat.mention', 'bot-connector'],
  ['person.notify', 'bot-connector'],
  ['followup.digest', 'bot-connector'],
  ['page.notify', 'bot-connector'],
  ['mail.send', 'graph'],
  ['followup.export', 'graph'],
  ['followup.planner-poll', 'graph'],
  ['postmortem.review', 'graph'],
  ['status.mail', 'graph'],
  ['timeline.sync', 'google'],
  ['postmortem.actions', 'google'],
  ['postmortem.create', 'google'],
])('%s fails under %s', (kind, system) => {
  expect(systemOf(kind)).toBe(system);
});
