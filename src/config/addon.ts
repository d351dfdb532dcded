import type { Mode, Str, Url } from './parse';

/**
 * The Google Workspace add-on (the incident in the doc's sidebar, POST /api/addon). 'google': requests are verified
 * against Google's keys (ADDON_SERVICE_ACCOUNT_EMAIL is set); 'local': local mode, main.ts starts the local issuer
 * and fills the keys, account and client id from it; 'off': production without the add-on.
 */
export interface AddonConfig {
  mode: 'off' | 'local' | 'google';
  /** The endpoint's public URL, exactly as in the deployment: the audience of Google's ID tokens. */
  url: string;
  /** The per-project add-on service account that signs every request (`service-<project-number>@gcp-sa-gsuiteaddons...`). */
  serviceAccountEmail: string;
  /** The add-on's OAuth client id: the audience of the user ID token (`gcloud workspace-add-ons get-authorization`). */
  oauthClientId: string;
  /** Where Google publishes its token signing certificates (PEM, keyed by `kid`). */
  certsUrl: string;
  /** People signed in with these Workspace domains may change incidents from the sidebar; others only read. */
  allowedDomains: string[];
  /** Where "declare one in Teams" points: a chat with the bot, unless overridden. */
  declareUrl?: string;
}

const ADDON_ACCOUNT = /^service-\d+@gcp-sa-gsuiteaddons\.iam\.gserviceaccount\.com$/;
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

export function addonConfig(
  mode: Mode,
  publicUrl: string,
  appId: string,
  problems: string[],
  str: Str,
  url: Url,
): AddonConfig {
  const serviceAccountEmail = str('ADDON_SERVICE_ACCOUNT_EMAIL');
  const addonMode: AddonConfig['mode'] = serviceAccountEmail ? 'google' : mode === 'local' ? 'local' : 'off';
  const allowedDomains = str('ADDON_ALLOWED_DOMAINS', addonMode === 'local' ? 'firebreak.test,example.com' : '') // example.com: the Playground's people
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
  const config: AddonConfig = {
    mode: addonMode,
    url: url('ADDON_URL', `${publicUrl}/api/addon`),
    serviceAccountEmail,
    oauthClientId: str('ADDON_OAUTH_CLIENT_ID'),
    certsUrl: url('ADDON_CERTS_URL', 'https://www.googleapis.com/oauth2/v1/certs'),
    allowedDomains,
    ...(str('ADDON_DECLARE_URL') || appId ? { declareUrl: url('ADDON_DECLARE_URL', `https://teams.microsoft.com/l/chat/0/0?users=28:${appId}`) } : {}),
  };
  if (addonMode === 'google') {
    if (!ADDON_ACCOUNT.test(serviceAccountEmail)) {
      problems.push(`ADDON_SERVICE_ACCOUNT_EMAIL must be the add-on's service account, service-<project-number>@gcp-sa-gsuiteaddons.iam.gserviceaccount.com (got "${serviceAccountEmail}")`);
    }
    if (!config.oauthClientId) problems.push('ADDON_OAUTH_CLIENT_ID is required with ADDON_SERVICE_ACCOUNT_EMAIL (oauthClientId from `gcloud workspace-add-ons get-authorization`)');
    if (!allowedDomains.length) problems.push('ADDON_ALLOWED_DOMAINS is required with ADDON_SERVICE_ACCOUNT_EMAIL: the Workspace domain(s) whose people may change incidents from the sidebar');
  } else if (addonMode === 'off') {
    for (const name of ['ADDON_OAUTH_CLIENT_ID', 'ADDON_ALLOWED_DOMAINS']) {
      if (str(name)) problems.push(`${name} is set but ADDON_SERVICE_ACCOUNT_EMAIL is not: the add-on is off without it`);
    }
  }
  const badDomain = allowedDomains.find((d) => !DOMAIN.test(d));
  if (badDomain) problems.push(`ADDON_ALLOWED_DOMAINS must be domain names separated by commas, like contoso.com (got "${badDomain}")`);
  return config;
}
