import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config';
import { deploymentDescriptor } from '../../../src/google/addon/deployment';

/** The `addon` section of the configuration, and the deployment descriptor made from it. */
const APP = '9d6c3f1e-1111-4222-8333-944444444444';
const production = {
  MICROSOFT_APP_ID: APP,
  MICROSOFT_APP_PASSWORD: 'secret',
  MICROSOFT_APP_TENANT_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  DATABASE_URL: 'postgres://fb@db/firebreak',
  PUBLIC_URL: 'https://firebreak.contoso.com',
};
const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
};

test('local mode runs the add-on against the local issuer, for people at firebreak.test and the Playground\'s example.com', () => {
  expect(loadConfig({}).addon).toEqual({
    mode: 'local',
    url: 'http://localhost:3978/api/addon',
    serviceAccountEmail: '',
    oauthClientId: '',
    certsUrl: 'https://www.googleapis.com/oauth2/v1/certs',
    allowedDomains: ['firebreak.test', 'example.com'],
  });
});

test('production without the add-on service account leaves the add-on off, and says so if half-configured', () => {
  expect(loadConfig(production).addon.mode).toBe('off');
  expect(problems({ ...production, ADDON_ALLOWED_DOMAINS: 'contoso.com' })).toEqual(['ADDON_ALLOWED_DOMAINS is set but ADDON_SERVICE_ACCOUNT_EMAIL is not: the add-on is off without it']);
});

test('a configured add-on: Google keys, the endpoint under PUBLIC_URL, the declare link to a chat with the bot', () => {
  const config = loadConfig({
    ...production,
    ADDON_SERVICE_ACCOUNT_EMAIL: 'service-123456789012@gcp-sa-gsuiteaddons.iam.gserviceaccount.com',
    ADDON_OAUTH_CLIENT_ID: '109876543210987654321',
    ADDON_ALLOWED_DOMAINS: 'Contoso.com, contoso.co.uk',
  });
  expect(config.addon).toEqual({
    mode: 'google',
    url: 'https://firebreak.contoso.com/api/addon',
    serviceAccountEmail: 'service-123456789012@gcp-sa-gsuiteaddons.iam.gserviceaccount.com',
    oauthClientId: '109876543210987654321',
    certsUrl: 'https://www.googleapis.com/oauth2/v1/certs',
    allowedDomains: ['contoso.com', 'contoso.co.uk'],
    declareUrl: `https://teams.microsoft.com/l/chat/0/0?users=28:${APP}`,
  });
});

test('every problem with the add-on section is named at once', () => {
  expect(problems({ ...production, ADDON_SERVICE_ACCOUNT_EMAIL: 'firebreak@contoso.iam.gserviceaccount.com', ADDON_CERTS_URL: 'file:///keys' })).toEqual([
    'ADDON_CERTS_URL must be an http(s) URL (got "file:///keys")',
    'ADDON_SERVICE_ACCOUNT_EMAIL must be the add-on\'s service account, service-<project-number>@gcp-sa-gsuiteaddons.iam.gserviceaccount.com (got "firebreak@contoso.iam.gserviceaccount.com")',
    'ADDON_OAUTH_CLIENT_ID is required with ADDON_SERVICE_ACCOUNT_EMAIL (oauthClientId from `gcloud workspace-add-ons get-authorization`)',
    'ADDON_ALLOWED_DOMAINS is required with ADDON_SERVICE_ACCOUNT_EMAIL: the Workspace domain(s) whose people may change incidents from the sidebar',
  ]);
  expect(problems({ ADDON_ALLOWED_DOMAINS: 'contoso.com,@gmail.com' })).toEqual(['ADDON_ALLOWED_DOMAINS must be domain names separated by commas, like contoso.com (got "@gmail.com")']);
});

test('infra/google/deployment.json is the descriptor for its example URL: Docs triggers, both scopes, one endpoint', () => {
  const file = JSON.parse(readFileSync(path.resolve(__dirname, '../../../infra/google/deployment.json'), 'utf8'));
  expect(file).toEqual(deploymentDescriptor('https://firebreak.example.com/api/addon'));
  const descriptor = deploymentDescriptor('https://fb.contoso.com/api/addon') as any;
  expect(descriptor.oauthScopes).toEqual(['https://www.googleapis.com/auth/drive.file', 'https://www.googleapis.com/auth/userinfo.email']);
  expect(descriptor.addOns.common.homepageTrigger.runFunction).toBe('https://fb.contoso.com/api/addon');
  expect(descriptor.addOns.docs).toEqual({ homepageTrigger: { runFunction: 'https://fb.contoso.com/api/addon' }, onFileScopeGrantedTrigger: { runFunction: 'https://fb.contoso.com/api/addon' } });
});
