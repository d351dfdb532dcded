import { bridgeConsole, capture } from '../../src/teams/console-bridge';
import { createLogger } from '../../src/log';

/** What libraries write to the console reaches the JSON logger: folded into a request's line, or a line of its own. */
const lines: Record<string, unknown>[] = [];
const log = createLogger('debug', (line) => lines.push(JSON.parse(line)));
bridgeConsole(log);

beforeEach(() => (lines.length = 0));

test('outside a request, console output is one JSON line at its level, keys elided, errors without their stack', () => {
  console.error('Error finding key for token. Available keys:', '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----');
  console.warn(new Error('the connector timed out'));
  expect(lines).toEqual([
    expect.objectContaining({ level: 'error', msg: 'a library wrote to the console', text: 'Error finding key for token. Available keys: [key]' }),
    expect.objectContaining({ level: 'warn', msg: 'a library wrote to the console', text: 'Error: the connector timed out' }),
  ]);
});

test("within a request, it is collected for the request's own line, not logged on its own", async () => {
  const run = await capture(log, async () => {
    console.error('token expired');
    return 42;
  });
  expect(run).toMatchObject({ ok: true, value: 42, said: ['token expired'] });
  expect(lines).toEqual([]);
});
