import { createLogger, redact } from '../../src/log';

test('secret-looking keys and bearer tokens never reach a log line', () => {
  const lines: string[] = [];
  const log = createLogger('debug', (l) => lines.push(l));
  log.info('calling', { appPassword: 'hunter2', headers: { Authorization: 'Bearer abc.def.ghi' }, note: 'sent Bearer eyJabc.def', client_secret: 's3', ok: 'visible' });
  const line = lines[0];
  expect(line).not.toMatch(/hunter2|abc\.def|s3"|eyJabc/);
  expect(JSON.parse(line)).toMatchObject({ level: 'info', msg: 'calling', appPassword: '[redacted]', ok: 'visible', note: 'sent Bearer [redacted]' });
});

test('levels below the threshold are dropped', () => {
  const lines: string[] = [];
  const log = createLogger('warn', (l) => lines.push(l));
  log.info('quiet');
  log.warn('loud');
  expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['loud']);
});

test('redact leaves ordinary values alone', () => {
  expect(redact({ a: [1, { b: 'c' }], n: null })).toEqual({ a: [1, { b: 'c' }], n: null });
});
