import { ConfigError, loadConfig } from '../../src/config';
import { localHosts } from '../../src/main';

/** ALLOWED_TENANT_IDS (src/config/bot.ts) and the names local mode answers to (main.ts localHosts). */
const PRODUCTION = {
  MICROSOFT_APP_ID: '9d6c3f1e-1111-4222-8333-944444444444',
  MICROSOFT_APP_PASSWORD: 'secret',
  MICROSOFT_APP_TENANT_ID: 'AAAAAAAA-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  DATABASE_URL: 'postgres://fb@db/firebreak',
};
const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env, '/srv');
    return [];
  } catch (e) {
    return (e as ConfigError).problems;
  }
};

test("without ALLOWED_TENANT_IDS the bot's own tenant is the only one served", () => {
  expect(loadConfig(PRODUCTION).bot.allowedTenants).toEqual(['aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee']);
});

test('ALLOWED_TENANT_IDS replaces it: a comma-separated list of GUIDs, spaces and case ignored', () => {
  const env = { ...PRODUCTION, ALLOWED_TENANT_IDS: ' 11111111-2222-3333-4444-555555555555 , AAAAAAAA-bbbb-4ccc-8ddd-eeeeeeeeeeee,' };
  expect(loadConfig(env).bot.allowedTenants).toEqual(['11111111-2222-3333-4444-555555555555', 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee']);
});

test('a malformed tenant id is named; in local mode the list is refused, as it would check nothing', () => {
  expect(problems({ ...PRODUCTION, ALLOWED_TENANT_IDS: '11111111-2222-3333-4444-555555555555,contoso.com' })).toEqual([
    'ALLOWED_TENANT_IDS must be tenant ids (GUIDs) separated by commas (got "contoso.com")',
  ]);
  expect(problems({ ALLOWED_TENANT_IDS: '11111111-2222-3333-4444-555555555555' })).toEqual([
    'ALLOWED_TENANT_IDS is set but MICROSOFT_APP_ID is not: local mode authenticates nothing, so it checks no tenant',
  ]);
  expect(loadConfig({}).bot.allowedTenants).toEqual([]);
});

test('local mode answers loopback names and PUBLIC_URL\'s host, plus HOST when it names an address', () => {
  const names = (env: Record<string, string>) => [...(localHosts(loadConfig(env, '/srv')) ?? [])].sort();
  const loopback = ['127.0.0.1', '::1', 'localhost'];
  expect(names({})).toEqual(loopback);
  expect(names({ HOST: '0.0.0.0' })).toEqual(loopback);
  expect(names({ HOST: '::' })).toEqual(loopback);
  expect(names({ HOST: '192.168.1.10', PUBLIC_URL: 'http://Firebreak.Test:8080/' })).toEqual(['127.0.0.1', '192.168.1.10', '::1', 'firebreak.test', 'localhost']);
  expect(names({ HOST: 'fd00::5' })).toEqual(['127.0.0.1', '::1', 'fd00::5', 'localhost']);
  expect(names({ HOST: 'devbox.lan' })).toEqual(['127.0.0.1', '::1', 'devbox.lan', 'localhost']);
});

test('production mode checks no Host: it authenticates every request instead', () => {
  expect(localHosts(loadConfig(PRODUCTION))).toBeUndefined();
});
