import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Firebreak's configuration, read once from the environment and validated as a whole:
 * every missing or malformed value is named in one error, not the first one alone.
 *
 * Local mode (no MICROSOFT_APP_ID): no credentials at all, inbound auth off, embedded store under
 * FIREBREAK_DATA_DIR. Production mode: the bot's app id, password and tenant, and DATABASE_URL.
 */
export interface Config {
  mode: 'local' | 'production';
  port: number;
  host: string;
  /** The service's own public base URL (links in cards and emails). */
  publicUrl: string;
  dataDir: string;
  /** `postgres://...` or `pglite:<dir>`. */
  databaseUrl: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  bot: BotConfig;
  /** Where every incident is announced: a channel of the organisation's announcements team. */
  announcements?: { channelId: string; serviceUrl?: string };
  graph: GraphConfig;
  workers: WorkerConfig;
  google: GoogleConfig;
  addon: AddonConfig;
}

export interface BotConfig {
  /** Empty in local mode: inbound tokens are not checked and outbound calls carry none. */
  appId: string;
  appPassword: string;
  tenantId: string;
  /** Where inbound tokens' signing keys are published (botbuilder `ToBotFromChannelOpenIdMetadataUrl`). */
  openIdMetadataUrl: string;
  /** The issuer inbound tokens must carry (`ToBotFromChannelTokenIssuer`). */
  tokenIssuer: string;
  /** The authority outbound tokens come from (`ToChannelFromBotLoginUrl`), without the tenant. */
  loginUrl: string;
  /** The scope of outbound tokens (`ToChannelFromBotOAuthScope`). */
  oauthScope: string;
}

/**
 * Microsoft Graph: the incident channel, the meeting bridge and the announcement email. Each is on when its
 * ids are given. Credentials default to the bot's own app registration. In local mode without
 * GRAPH_CLIENT_ID, Graph is emulated in-process and main.ts fills the ids from the emulator.
 */
export interface GraphConfig {
  emulate: boolean;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** `https://graph.microsoft.com`; must be https (the Graph client only sends tokens to https hosts). */
  baseUrl: string;
  /** Where tokens come from, `https://login.microsoftonline.com`. */
  authorityHost: string;
  /** GRAPH_INCIDENT_TEAM_ID: the Entra group id of the team incident channels are made in. */
  teamId: string;
  /** GRAPH_MEETING_ORGANIZER_ID: the object id of the service user who organizes meeting bridges. */
  organizerId: string;
  bridgeFallback: 'none' | 'calendar';
  /** GRAPH_MAIL_SENDER: the mailbox announcements are sent from (user id or UPN). */
  mailSender: string;
  /** INCIDENT_MAIL_TO: the incidents list (comma-separated addresses). */
  mailTo: string[];
  /** Retries inside one attempt by the Graph SDK's RetryHandler (429/503/504, honouring Retry-After). */
  maxRetries: number;
}

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

/** The effect workers' retry schedule. */
export interface WorkerConfig {
  retryBaseMs: number;
  retryCapMs: number;
  giveUpAfterMs: number;
  /** How long a declaration mail waits for the channel and bridge links before going without them. */
  mailWaitMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Firebreak's configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const str = (name: string, fallback = ''): string => (env[name] ?? '').trim() || fallback;
  const url = (name: string, fallback: string): string => {
    const value = str(name, fallback);
    try {
      const u = new URL(value);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    } catch {
      problems.push(`${name} must be an http(s) URL (got "${value}")`);
    }
    return value.replace(/\/+$/, '');
  };

  const portText = str('PORT', '3978');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be a port number 0-65535 (got "${portText}")`);

  const logLevel = str('LOG_LEVEL', 'info');
  if (!(LEVELS as readonly string[]).includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LEVELS.join(', ')} (got "${logLevel}")`);

  const appId = str('MICROSOFT_APP_ID');
  const mode = appId ? 'production' : 'local';
  const dataDir = path.resolve(cwd, str('FIREBREAK_DATA_DIR', '.firebreak'));
  const bot: BotConfig = {
    appId,
    appPassword: str('MICROSOFT_APP_PASSWORD'),
    tenantId: str('MICROSOFT_APP_TENANT_ID'),
    openIdMetadataUrl: url('BOT_OPENID_METADATA_URL', 'https://login.botframework.com/v1/.well-known/openidconfiguration'),
    tokenIssuer: str('BOT_TOKEN_ISSUER', 'https://api.botframework.com'),
    loginUrl: url('BOT_LOGIN_URL', 'https://login.microsoftonline.com'),
    oauthScope: str('BOT_OAUTH_SCOPE', 'https://api.botframework.com'),
  };

  let databaseUrl = str('DATABASE_URL');
  if (mode === 'production') {
    if (!GUID.test(appId)) problems.push(`MICROSOFT_APP_ID must be the bot's Entra app id, a GUID (got "${appId}")`);
    if (!bot.appPassword) problems.push('MICROSOFT_APP_PASSWORD is required when MICROSOFT_APP_ID is set (the bot\'s client secret)');
    if (!bot.tenantId) problems.push('MICROSOFT_APP_TENANT_ID is required when MICROSOFT_APP_ID is set');
    else if (!GUID.test(bot.tenantId)) problems.push(`MICROSOFT_APP_TENANT_ID must be a GUID (got "${bot.tenantId}")`);
    if (!databaseUrl) problems.push('DATABASE_URL is required in production mode (postgres://user@host/db, or pglite:<dir> for one instance)');
  } else {
    databaseUrl ||= `pglite:${path.join(dataDir, 'db')}`;
  }
  if (databaseUrl && !/^(postgres(ql)?:\/\/|pglite:)/.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres://, postgresql:// or pglite:');
  }

  const graph = graphConfig(env, mode, bot, problems, str, url);
  const workers = workerConfig(env, problems);

  const host = str('HOST', mode === 'local' ? '127.0.0.1' : '0.0.0.0');
  const publicUrl = url('PUBLIC_URL', `http://localhost:${port}`);
  const addon = addonConfig(mode, publicUrl, appId, problems, str, url);

  const channelId = str('ANNOUNCEMENTS_CHANNEL_ID');
  if (channelId && !/^19:.+@thread\.(tacv2|skype)$/.test(channelId)) {
    problems.push(`ANNOUNCEMENTS_CHANNEL_ID must be a Teams channel id like 19:abc...@thread.tacv2 (got "${channelId}")`);
  }
  const announcementsServiceUrl = str('ANNOUNCEMENTS_SERVICE_URL') ? url('ANNOUNCEMENTS_SERVICE_URL', '') : undefined;
  const announcements = channelId ? { channelId, ...(announcementsServiceUrl ? { serviceUrl: announcementsServiceUrl } : {}) } : undefined;

  const google = loadGoogleConfig(env, mode, port, problems, cwd);

  if (problems.length) throw new ConfigError(problems);
  return { mode, port, host, publicUrl, dataDir, databaseUrl, logLevel: logLevel as Config['logLevel'], bot, graph, workers, google, addon, ...(announcements ? { announcements } : {}) };
}

const EMAIL = /^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$/;

function graphConfig(
  env: NodeJS.ProcessEnv,
  mode: Config['mode'],
  bot: BotConfig,
  problems: string[],
  str: (name: string, fallback?: string) => string,
  url: (name: string, fallback: string) => string,
): GraphConfig {
  const emulate = mode === 'local' && !str('GRAPH_CLIENT_ID');
  const https = (name: string, fallback: string) => {
    const value = url(name, fallback);
    if (value.startsWith('http:')) problems.push(`${name} must be https: the Graph client sends tokens to https hosts only (got "${value}")`);
    return value;
  };
  const config: GraphConfig = {
    emulate,
    tenantId: str('GRAPH_TENANT_ID', bot.tenantId),
    clientId: str('GRAPH_CLIENT_ID', bot.appId),
    clientSecret: str('GRAPH_CLIENT_SECRET', bot.appPassword),
    baseUrl: https('GRAPH_BASE_URL', 'https://graph.microsoft.com'),
    authorityHost: https('GRAPH_AUTHORITY_HOST', 'https://login.microsoftonline.com'),
    teamId: str('GRAPH_INCIDENT_TEAM_ID'),
    organizerId: str('GRAPH_MEETING_ORGANIZER_ID'),
    bridgeFallback: str('GRAPH_BRIDGE_FALLBACK', 'none') as GraphConfig['bridgeFallback'],
    mailSender: str('GRAPH_MAIL_SENDER'),
    mailTo: str('INCIDENT_MAIL_TO').split(',').map((a) => a.trim()).filter(Boolean),
    maxRetries: int(env, 'GRAPH_MAX_RETRIES', 3, 0, 10, problems),
  };
  if (config.bridgeFallback !== 'none' && config.bridgeFallback !== 'calendar') {
    problems.push(`GRAPH_BRIDGE_FALLBACK must be none or calendar (got "${config.bridgeFallback}")`);
  }
  if (config.teamId.startsWith('19:')) {
    problems.push(`GRAPH_INCIDENT_TEAM_ID must be the team's Entra group id (channelData.team.aadGroupId, a GUID), not its thread id "${config.teamId}"`);
  } else if (config.teamId && !GUID.test(config.teamId)) {
    problems.push(`GRAPH_INCIDENT_TEAM_ID must be the team's Entra group id, a GUID (got "${config.teamId}")`);
  }
  if (config.organizerId && !GUID.test(config.organizerId)) {
    problems.push(`GRAPH_MEETING_ORGANIZER_ID must be the organizer's Entra object id, a GUID (got "${config.organizerId}")`);
  }
  if (config.bridgeFallback === 'calendar' && !config.organizerId && !emulate) problems.push('GRAPH_BRIDGE_FALLBACK=calendar needs GRAPH_MEETING_ORGANIZER_ID');
  const badAddress = config.mailTo.find((a) => !EMAIL.test(a));
  if (badAddress) problems.push(`INCIDENT_MAIL_TO must be comma-separated email addresses (got "${badAddress}")`);
  if (config.mailTo.length && !config.mailSender && !emulate) problems.push('INCIDENT_MAIL_TO needs GRAPH_MAIL_SENDER, the mailbox announcements are sent from');
  if (config.mailSender && !config.mailTo.length) problems.push('GRAPH_MAIL_SENDER is set but INCIDENT_MAIL_TO is empty: who should the announcements go to?');
  const used = config.teamId || config.organizerId || config.mailSender;
  if (emulate && used) {
    problems.push('GRAPH_INCIDENT_TEAM_ID, GRAPH_MEETING_ORGANIZER_ID and GRAPH_MAIL_SENDER need GRAPH_CLIENT_ID in local mode (without it, Graph is emulated in-process)');
  } else if (used) {
    if (!GUID.test(config.tenantId)) problems.push(`GRAPH_TENANT_ID (or MICROSOFT_APP_TENANT_ID) must be the tenant's GUID for Graph (got "${config.tenantId}")`);
    if (!GUID.test(config.clientId)) problems.push(`GRAPH_CLIENT_ID (or MICROSOFT_APP_ID) must be an Entra app id, a GUID (got "${config.clientId}")`);
    if (!config.clientSecret) problems.push('GRAPH_CLIENT_SECRET (or MICROSOFT_APP_PASSWORD) is required to call Graph');
  }
  return config;
}

const ADDON_ACCOUNT = /^service-\d+@gcp-sa-gsuiteaddons\.iam\.gserviceaccount\.com$/;
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

function addonConfig(
  mode: Config['mode'],
  publicUrl: string,
  appId: string,
  problems: string[],
  str: (name: string, fallback?: string) => string,
  url: (name: string, fallback: string) => string,
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

function workerConfig(env: NodeJS.ProcessEnv, problems: string[]): WorkerConfig {
  const retryBaseMs = int(env, 'EFFECT_RETRY_BASE_MS', 500, 1, 3_600_000, problems);
  const retryCapMs = int(env, 'EFFECT_RETRY_CAP_MS', 60_000, 1, 24 * 3_600_000, problems);
  if (retryCapMs < retryBaseMs) problems.push('EFFECT_RETRY_CAP_MS must not be below EFFECT_RETRY_BASE_MS');
  return {
    retryBaseMs,
    retryCapMs,
    giveUpAfterMs: int(env, 'EFFECT_GIVE_UP_AFTER_SECONDS', 1800, 1, 7 * 24 * 3600, problems) * 1000,
    mailWaitMs: int(env, 'MAIL_WAIT_FOR_LINKS_SECONDS', 60, 0, 3600, problems) * 1000,
  };
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const text = (env[name] ?? '').trim();
  if (!text) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be a whole number ${min}-${max} (got "${text}")`);
    return fallback;
  }
  return n;
}

/**
 * The incident doc in Google Docs. With a service account key Firebreak uses the real APIs ('google'); without
 * one, local mode runs the Google sandbox in-process ('sandbox') and production mode makes no doc ('off').
 */
export interface GoogleConfig {
  mode: 'off' | 'sandbox' | 'google';
  serviceAccount?: { clientEmail: string; privateKey: string; privateKeyId?: string };
  /** The Workspace user Firebreak acts as (domain-wide delegation); the docs belong to them. */
  subject: string;
  templateId: string;
  /** A folder or shared drive id for the docs; the subject's My Drive when empty. */
  folderId?: string;
  share: { domain?: string; groups: string[]; role: 'writer' | 'commenter' };
  docsUrl: string;
  driveUrl: string;
  tokenUrl: string;
  /** Local mode: the sandbox's port (its document views are linked from cards, so a stable one). */
  sandboxPort: number;
  /** The shared pace of every Docs write of the service (the subject's quota is 60 a minute). */
  docsWritesPerMinute: number;
  /**
   * Where Drive push notifications go (`<url>/api/google/notify`): Firebreak's public https base URL. Unset: the
   * timeline is watched by polling alone. Local mode points the sandbox at this process.
   */
  notifyUrl?: string;
  /** How long a Drive watch channel lives before it is renewed. */
  watchMinutes: number;
  timeline: TimelineConfig;
}

/** The doc's timeline kept in step with the chat, both ways. */
export interface TimelineConfig {
  /** Longer entries are cut in the doc with a visible marker; the store keeps the full text. */
  rowMaxChars: number;
  /** How often each active incident's doc revision is checked (the safety net under push). */
  pollMs: number;
  /** After a change is noticed, how long to let a person finish typing before reading the table. */
  settleMs: number;
}

const DRIVE_ID = /^[A-Za-z0-9_-]+$/;

/** Exported for `npm run template:create`, which runs before there is a template (`requireTemplate: false`). */
export function loadGoogleConfig(env: NodeJS.ProcessEnv, mode: Config['mode'], port: number, problems: string[], cwd: string, requireTemplate = true): GoogleConfig {
  const str = (name: string, fallback = ''): string => (env[name] ?? '').trim() || fallback;
  const url = (name: string, fallback: string): string => {
    const value = str(name, fallback);
    if (!/^https?:\/\/[^/]/.test(value)) problems.push(`${name} must be an http(s) URL (got "${value}")`);
    return value.replace(/\/+$/, '');
  };
  const keyFile = str('GOOGLE_SERVICE_ACCOUNT_KEY_FILE');
  const keyJson = str('GOOGLE_SERVICE_ACCOUNT_KEY');
  let serviceAccount: GoogleConfig['serviceAccount'];
  if (keyFile && keyJson) problems.push('set GOOGLE_SERVICE_ACCOUNT_KEY_FILE or GOOGLE_SERVICE_ACCOUNT_KEY, not both');
  else if (keyFile || keyJson) serviceAccount = readServiceAccount(keyFile ? path.resolve(cwd, keyFile) : undefined, keyJson, problems);

  const googleMode: GoogleConfig['mode'] = keyFile || keyJson ? 'google' : mode === 'local' ? 'sandbox' : 'off';
  const subject = str('GOOGLE_SUBJECT', googleMode === 'sandbox' ? 'incidents@firebreak.test' : '');
  const templateId = str('GOOGLE_TEMPLATE_ID');
  const folderId = str('GOOGLE_FOLDER_ID') || undefined;
  if (googleMode === 'google') {
    if (!EMAIL.test(subject)) problems.push(`GOOGLE_SUBJECT must be the email of the Workspace user Firebreak acts as (got "${subject}"); service accounts own no Drive storage`);
    if (requireTemplate && !DRIVE_ID.test(templateId)) problems.push(`GOOGLE_TEMPLATE_ID must be the template doc's id, from \`npm run template:create\` (got "${templateId}")`);
  } else if (googleMode === 'off') {
    for (const name of ['GOOGLE_SUBJECT', 'GOOGLE_TEMPLATE_ID', 'GOOGLE_FOLDER_ID']) {
      if (str(name)) problems.push(`${name} is set but no service account key is (GOOGLE_SERVICE_ACCOUNT_KEY_FILE or GOOGLE_SERVICE_ACCOUNT_KEY)`);
    }
  }
  if (folderId && !DRIVE_ID.test(folderId)) problems.push(`GOOGLE_FOLDER_ID must be a Drive folder or shared drive id (got "${folderId}")`);

  const shareDomain = str('GOOGLE_SHARE_DOMAIN', subject.split('@')[1] ?? '');
  const groups = str('GOOGLE_SHARE_GROUPS').split(',').map((g) => g.trim()).filter(Boolean);
  for (const g of groups) if (!EMAIL.test(g)) problems.push(`GOOGLE_SHARE_GROUPS must be group emails separated by commas (got "${g}")`);
  const role = str('GOOGLE_SHARE_ROLE', 'writer');
  if (role !== 'writer' && role !== 'commenter') problems.push(`GOOGLE_SHARE_ROLE must be writer or commenter (got "${role}")`);
  const sandboxPortText = str('GOOGLE_SANDBOX_PORT', port && port < 65535 ? String(port + 1) : '0');
  const sandboxPort = Number(sandboxPortText);
  if (!Number.isInteger(sandboxPort) || sandboxPort < 0 || sandboxPort > 65535) problems.push(`GOOGLE_SANDBOX_PORT must be a port number 0-65535 (got "${sandboxPortText}")`);

  const notifyUrl = str('GOOGLE_NOTIFY_URL').replace(/\/+$/, '') || undefined;
  if (notifyUrl) {
    if (googleMode === 'off') problems.push('GOOGLE_NOTIFY_URL is set but no service account key is (GOOGLE_SERVICE_ACCOUNT_KEY_FILE or GOOGLE_SERVICE_ACCOUNT_KEY)');
    else if (!isNotifyUrl(notifyUrl)) problems.push(`GOOGLE_NOTIFY_URL must be Firebreak's public https base URL, on a domain verified for the Google Cloud project (got "${notifyUrl}")`);
  }
  const pollText = str('TIMELINE_POLL_SECONDS', '30');
  const pollSeconds = Number(pollText);
  if (!(Number.isFinite(pollSeconds) && pollSeconds >= 0.05 && pollSeconds <= 3600)) problems.push(`TIMELINE_POLL_SECONDS must be a number of seconds 0.05-3600 (got "${pollText}")`);

  return {
    mode: googleMode,
    docsWritesPerMinute: int(env, 'GOOGLE_DOCS_WRITES_PER_MINUTE', 50, 1, 600, problems),
    ...(notifyUrl ? { notifyUrl } : {}),
    watchMinutes: int(env, 'GOOGLE_WATCH_MINUTES', 60, 2, 1440, problems),
    timeline: {
      rowMaxChars: int(env, 'TIMELINE_ROW_MAX_CHARS', 1000, 100, 50_000, problems),
      pollMs: Math.round((Number.isFinite(pollSeconds) ? pollSeconds : 30) * 1000),
      settleMs: int(env, 'TIMELINE_SETTLE_MS', 3000, 0, 600_000, problems),
    },
    serviceAccount,
    subject,
    templateId,
    folderId,
    share: { domain: shareDomain && shareDomain !== 'none' ? shareDomain : undefined, groups, role: role as 'writer' | 'commenter' },
    docsUrl: url('GOOGLE_DOCS_API_URL', 'https://docs.googleapis.com'),
    driveUrl: url('GOOGLE_DRIVE_API_URL', 'https://www.googleapis.com'),
    tokenUrl: url('GOOGLE_TOKEN_URL', 'https://oauth2.googleapis.com/token'),
    sandboxPort,
  };
}

/** Drive delivers push notifications to https addresses only; plain http is accepted on loopback (the sandbox). */
function isNotifyUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname));
  } catch {
    return false;
  }
}

/** The service account key as Google issues it (JSON with client_email and private_key); never echoed back. */
function readServiceAccount(file: string | undefined, json: string, problems: string[]): GoogleConfig['serviceAccount'] {
  const name = file ? `GOOGLE_SERVICE_ACCOUNT_KEY_FILE (${file})` : 'GOOGLE_SERVICE_ACCOUNT_KEY';
  let key: { client_email?: unknown; private_key?: unknown; private_key_id?: unknown };
  try {
    key = JSON.parse(file ? readFileSync(file, 'utf8') : json);
  } catch (err) {
    problems.push(`${name} must be a service account key JSON file from the Google Cloud console (${file && (err as NodeJS.ErrnoException).code ? (err as NodeJS.ErrnoException).code : 'not valid JSON'})`);
    return undefined;
  }
  if (typeof key.client_email !== 'string' || typeof key.private_key !== 'string' || !key.private_key.includes('PRIVATE KEY')) {
    problems.push(`${name} must have client_email and private_key (a service account key, not an OAuth client)`);
    return undefined;
  }
  return { clientEmail: key.client_email, privateKey: key.private_key, ...(typeof key.private_key_id === 'string' ? { privateKeyId: key.private_key_id } : {}) };
}
