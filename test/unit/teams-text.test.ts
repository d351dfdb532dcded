import { parseCommand } from '../../src/teams/commands';
import { clip, commandText, markdownLine, markdownWithLinks, plain } from '../../src/teams/text';

describe('parseCommand', () => {
  test.each([
    ['declare sev2 Checkout API returning 500s', { kind: 'declare', severity: 2, title: 'Checkout API returning 500s' }],
    ['declare sev 1 DB down', { kind: 'declare', severity: 1, title: 'DB down' }],
    ['DECLARE s4 minor thing', { kind: 'declare', severity: 4, title: 'minor thing' }],
    ['declare Search is slow', { kind: 'declare', title: 'Search is slow' }],
    ['declare severe weather alerts broken', { kind: 'declare', title: 'severe weather alerts broken' }],
    ['declare sev2', { kind: 'usage', verb: 'declare', usage: expect.stringContaining('declare [sev1-4]') }],
    ['declare', { kind: 'usage', verb: 'declare', usage: expect.any(String) }],
    ['sev 1', { kind: 'severity', value: 1 }],
    ['sev high', { kind: 'usage', verb: 'sev', usage: expect.any(String) }],
    ['phase 2', { kind: 'phase', value: 2 }],
    ['role comms', { kind: 'role', role: 'comms' }],
    ['role janitor', { kind: 'usage', verb: 'role', usage: expect.any(String) }],
    ['note restarted web-3\nline two', { kind: 'note', text: 'restarted web-3\nline two' }],
    ['action failover to eu-west', { kind: 'action', text: 'failover to eu-west' }],
    ['note', { kind: 'usage', verb: 'note', usage: expect.any(String) }],
    ['resolve', { kind: 'resolve' }],
    ['resolve rolled back', { kind: 'resolve', summary: 'rolled back' }],
    ['resolve confirm', { kind: 'resolve', confirm: true }],
    ['resolve Confirm rolled back', { kind: 'resolve', summary: 'rolled back', confirm: true }],
    ['resolve confirmed the fix', { kind: 'resolve', summary: 'confirmed the fix' }],
    ['reopen', { kind: 'reopen' }],
    ['reopen errors are back', { kind: 'reopen', reason: 'errors are back' }],
    ['/status', { kind: 'status' }],
    ['help', { kind: 'help' }],
    ['impact yes', { kind: 'impact', value: true }],
    ['impact No', { kind: 'impact', value: false }],
    ['impact maybe', { kind: 'usage', verb: 'impact', usage: 'impact <yes|no>   (are customers affected? updates then come at least hourly)' }],
    ['', { kind: 'help' }],
    ['what is going on', { kind: 'unknown', text: 'what is going on' }],
  ])('%j', (text, intent) => {
    expect(parseCommand(text)).toEqual(intent);
  });
});

test('commandText removes mentions and HTML, keeps line breaks', () => {
  expect(commandText('<at>Firebreak</at>&nbsp;note <b>db</b> &lt;slow&gt;<br>second')).toBe('note db <slow>\nsecond');
});

test('plain keeps Markdown and mentions literal', () => {
  expect(plain('**bold** [x](http://evil) <at>CEO</at> _i_')).toBe('\\*\\*bold\\*\\* \\[x\\](http://evil) \\<at\\>CEO\\</at\\> \\_i\\_');
  expect(plain('# heading\n- item\n1. first')).toBe('\\# heading\n\\- item\n1\\. first');
  expect(plain('v1.2 - ok')).toBe('v1.2 - ok');
});

test('clip cuts with a visible marker', () => {
  expect(clip('a  b\nc', 10)).toBe('a b c');
  expect(clip('abcdefghij', 5)).toBe('abcd…');
});

test('markdownLine escapes text but keeps links clickable', () => {
  expect(markdownLine('Coordinating via #inc_1 (https://teams.example/l/a_b*c) and *more*')).toBe(
    'Coordinating via #inc\\_1 (https://teams.example/l/a_b*c) and \\*more\\*',
  );
  // A link can't carry a mention or a second link in with it, and the full stop after it stays outside.
  expect(markdownLine('see https://x.example/a<at>CEO</at> and https://x.example/[y](https://evil.example).')).toBe(
    'see https://x.example/a\\<at\\>CEO\\</at\\> and https://x.example/\\[y\\](https://evil.example).',
  );
});

test('markdownWithLinks shows a message\'s own links by their labels, and nothing else as a link', () => {
  const links = [
    { text: '#inc-1-db (https://teams.example/l/channel/19%3Aabc?groupId=1)', label: '#inc-1-db', url: 'https://teams.example/l/channel/19%3Aabc?groupId=1' },
    { text: 'Incident doc: https://docs.example/d/a_b', label: 'Incident doc', url: 'https://docs.example/d/a_b' },
  ];
  const line = 'Severity 1, phase 1. Jo is incident commander. Coordinating via #inc-1-db (https://teams.example/l/channel/19%3Aabc?groupId=1). Incident doc: https://docs.example/d/a_b';
  expect(markdownWithLinks(line, links)).toBe(
    'Severity 1, phase 1. Jo is incident commander. Coordinating via [#inc-1-db](https://teams.example/l/channel/19%3Aabc?groupId=1). [Incident doc](https://docs.example/d/a_b)',
  );
  // A person's words that look like a labelled link stay text with the URL shown.
  expect(markdownWithLinks('see Status page (https://evil.example/x)', links)).toBe('see Status page (https://evil.example/x)');
  expect(markdownWithLinks('no links here *at all*')).toBe('no links here \\*at all\\*');
});
