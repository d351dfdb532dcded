import { createLogger, noteLogContext, withLogContext } from '../../src/log';
import { openStore } from '../../src/store/open';
import { declareCommand } from '../domain/fixtures';
import { createIncidents } from '../../src/app/incidents';

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

test('an incident read inside a context puts its number on the lines written after it; outside any context nothing', async () => {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger('debug', (line) => lines.push(JSON.parse(line)));
  const store = await openStore('pglite:memory');
  try {
    const { number: _n, ...declare } = declareCommand({ incidentId: 'log-1' });
    await createIncidents(store).declare(declare);
    noteLogContext({ incidentNumber: 'INC-0' }); // no context here: ignored
    await withLogContext({ effect: 'card.post:log-1', incident: 'log-1' }, async () => {
      log.info('before reading it');
      await store.load('log-1');
      log.info('after reading it');
    });
    log.info('after the effect');
  } finally {
    await store.close();
  }
  expect(lines.map(({ t, ...rest }) => (void t, rest))).toEqual([
    { level: 'info', msg: 'before reading it', effect: 'card.post:log-1', incident: 'log-1' },
    { level: 'info', msg: 'after reading it', effect: 'card.post:log-1', incident: 'log-1', incidentNumber: 'INC-1' },
    { level: 'info', msg: 'after the effect' },
  ]);
}, 30_000);
