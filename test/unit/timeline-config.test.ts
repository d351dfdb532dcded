import { ConfigError, loadConfig } from '../../src/config';

/** The doc timeline's knobs: defaults, overrides, and every bad value named at once. */
const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env, '/srv');
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

test('defaults: 50 Docs writes a minute, rows cut at 1000, a 30 s poll, 3 s to settle, hour-long watch channels, no push', () => {
  const { google } = loadConfig({}, '/srv');
  expect(google).toMatchObject({ docsWritesPerMinute: 50, watchMinutes: 60, timeline: { rowMaxChars: 1000, pollMs: 30_000, settleMs: 3000 } });
  expect(google.notifyUrl).toBeUndefined();
});

test('overrides, including a fractional poll for tests and a loopback notify address', () => {
  const { google } = loadConfig(
    { GOOGLE_DOCS_WRITES_PER_MINUTE: '30', TIMELINE_ROW_MAX_CHARS: '200', TIMELINE_POLL_SECONDS: '0.25', TIMELINE_SETTLE_MS: '0', GOOGLE_WATCH_MINUTES: '1440', GOOGLE_NOTIFY_URL: 'http://127.0.0.1:3978/' },
    '/srv',
  );
  expect(google).toMatchObject({ docsWritesPerMinute: 30, notifyUrl: 'http://127.0.0.1:3978', watchMinutes: 1440, timeline: { rowMaxChars: 200, pollMs: 250, settleMs: 0 } });
});

test('bad values are all named together', () => {
  expect(
    problems({ GOOGLE_DOCS_WRITES_PER_MINUTE: '0', TIMELINE_ROW_MAX_CHARS: 'lots', TIMELINE_POLL_SECONDS: '0', TIMELINE_SETTLE_MS: '-1', GOOGLE_WATCH_MINUTES: '2000', GOOGLE_NOTIFY_URL: 'http://firebreak.example.com' }),
  ).toEqual([
    'GOOGLE_NOTIFY_URL must be Firebreak\'s public https base URL, on a domain verified for the Google Cloud project (got "http://firebreak.example.com")',
    'TIMELINE_POLL_SECONDS must be a number of seconds 0.05-3600 (got "0")',
    'GOOGLE_DOCS_WRITES_PER_MINUTE must be a whole number 1-600 (got "0")',
    'GOOGLE_WATCH_MINUTES must be a whole number 2-1440 (got "2000")',
    'TIMELINE_ROW_MAX_CHARS must be a whole number 100-50000 (got "lots")',
    'TIMELINE_SETTLE_MS must be a whole number 0-600000 (got "-1")',
  ]);
});

test('a notify address without Google is a mistake worth naming', () => {
  expect(problems({ MICROSOFT_APP_ID: '9d6c3f1e-1111-4222-8333-944444444444', MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TENANT_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', DATABASE_URL: 'pglite:/tmp/x', GOOGLE_NOTIFY_URL: 'https://firebreak.example.com' })).toEqual([
    'GOOGLE_NOTIFY_URL is set but no service account key is (GOOGLE_SERVICE_ACCOUNT_KEY_FILE or GOOGLE_SERVICE_ACCOUNT_KEY)',
  ]);
});

test('the Docs read budget: 200 a minute, twice the write pace when that is more, and never at or below the write pace', () => {
  expect(loadConfig({}, '/srv').google.docsReadsPerMinute).toBe(200);
  expect(loadConfig({ GOOGLE_DOCS_WRITES_PER_MINUTE: '600' }, '/srv').google.docsReadsPerMinute).toBe(1200);
  expect(loadConfig({ GOOGLE_DOCS_READS_PER_MINUTE: '240' }, '/srv').google.docsReadsPerMinute).toBe(240);
  expect(problems({ GOOGLE_DOCS_READS_PER_MINUTE: '40' })).toEqual(['GOOGLE_DOCS_READS_PER_MINUTE must be above GOOGLE_DOCS_WRITES_PER_MINUTE (50): each write reads the doc first (got 40)']);
});
