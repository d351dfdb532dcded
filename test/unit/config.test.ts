import { ConfigError, loadConfig } from '../../src/config';

const APP = '9d6c3f1e-1111-4222-8333-944444444444';
const TENANT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

test('no configuration at all is local mode on the embedded store', () => {
  const config = loadConfig({}, '/srv/fb');
  expect(config).toMatchObject({
    mode: 'local',
    port: 3978,
    host: '127.0.0.1',
    dataDir: '/srv/fb/.firebreak',
    databaseUrl: 'pglite:/srv/fb/.firebreak/db',
    bot: { appId: '', openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration' },
  });
});

test('FIREBREAK_DATA_DIR and PORT are honoured', () => {
  expect(loadConfig({ FIREBREAK_DATA_DIR: 'data', PORT: '8080' }, '/srv')).toMatchObject({ dataDir: '/srv/data', port: 8080, databaseUrl: 'pglite:/srv/data/db' });
});

test('production mode needs the app password, the tenant and a database, all named at once', () => {
  let error: ConfigError | undefined;
  try {
    loadConfig({ MICROSOFT_APP_ID: APP });
  } catch (e) {
    error = e as ConfigError;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect(error!.problems).toEqual([
    "MICROSOFT_APP_PASSWORD is required when MICROSOFT_APP_ID is set (the bot's client secret)",
    'MICROSOFT_APP_TENANT_ID is required when MICROSOFT_APP_ID is set',
    'DATABASE_URL is required in production mode (postgres://user@host/db, or pglite:<dir> for one instance)',
  ]);
  expect(error!.message).toContain('3 problem(s)');
});

test('malformed values are named with what was given', () => {
  expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', BOT_OPENID_METADATA_URL: 'ftp://x' })).toThrow(
    /PORT must be a port number 0-65535 \(got "eighty"\)[\s\S]*LOG_LEVEL must be one of debug, info, warn, error \(got "loud"\)[\s\S]*BOT_OPENID_METADATA_URL must be an http\(s\) URL/,
  );
  expect(() => loadConfig({ MICROSOFT_APP_ID: 'my-bot', MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TENANT_ID: 'contoso', DATABASE_URL: 'mysql://x' })).toThrow(
    /MICROSOFT_APP_ID must be the bot's Entra app id, a GUID \(got "my-bot"\)[\s\S]*MICROSOFT_APP_TENANT_ID must be a GUID[\s\S]*DATABASE_URL must start with/,
  );
});

test('a complete production configuration', () => {
  const config = loadConfig({
    MICROSOFT_APP_ID: APP,
    MICROSOFT_APP_PASSWORD: 'secret',
    MICROSOFT_APP_TENANT_ID: TENANT,
    DATABASE_URL: 'postgres://fb@db/firebreak',
    BOT_LOGIN_URL: 'https://login.example/',
  });
  expect(config).toMatchObject({ mode: 'production', host: '0.0.0.0', databaseUrl: 'postgres://fb@db/firebreak', bot: { appId: APP, tenantId: TENANT, loginUrl: 'https://login.example' } });
});
