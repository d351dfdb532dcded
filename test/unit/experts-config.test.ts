import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

const TENANT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const PRODUCTION = { MICROSOFT_APP_ID: '9d6c3f1e-1111-4222-8333-944444444444', MICROSOFT_APP_PASSWORD: 's', MICROSOFT_APP_TENANT_ID: TENANT, DATABASE_URL: 'pglite:memory', PUBLIC_URL: 'https://firebreak.example.com' };
const cwd = () => mkdtempSync(path.join(tmpdir(), 'fb-cwd-'));

test("production checks the experts page's SSO tokens against Entra ID v2.0 for the bot's tenant and the manifest's resource", () => {
  expect(loadConfig(PRODUCTION, cwd()).expertsSso).toEqual({
    metadataUrl: `https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`,
    issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    audience: 'api://firebreak.example.com/9d6c3f1e-1111-4222-8333-944444444444',
    tenants: [TENANT],
  });
});

test('local mode has no SSO (the page is open on loopback); a bad metadata URL is named', () => {
  expect(loadConfig({}, cwd()).expertsSso).toBeUndefined();
  expect(() => loadConfig({ ...PRODUCTION, EXPERTS_SSO_METADATA_URL: 'ftp://x' }, cwd())).toThrow(ConfigError);
});
