import { createLogger, withLogContext } from '../../src/log';

test('lines written inside a log context carry its ids, nested contexts add theirs, secrets stay redacted', async () => {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger('debug', (line) => lines.push(JSON.parse(line)));
  log.info('outside');
  await withLogContext({ activity: 'act-1', incident: undefined }, async () => {
    await new Promise((r) => setTimeout(r, 1)); // survives an await
    log.info('in the turn');
    await withLogContext({ effect: 'card.post:inc-7', incident: 'inc-7' }, async () => log.warn('in the effect', { token: 'secret-value' }));
  });
  expect(lines.map(({ t, ...rest }) => (void t, rest))).toEqual([
    { level: 'info', msg: 'outside' },
    { level: 'info', msg: 'in the turn', activity: 'act-1' },
    { level: 'warn', msg: 'in the effect', activity: 'act-1', effect: 'card.post:inc-7', incident: 'inc-7', token: '[redacted]' },
  ]);
});
