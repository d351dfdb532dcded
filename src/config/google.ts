import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EMAIL, int, type Mode } from './parse';

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
  /** The same for every Docs read (the quota is 300 a minute): writes' reads first, doc polls within the rest. */
  docsReadsPerMinute: number;
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
  /** How often a doc active now is checked when no push channel covers it (workers/timeline/poll-plan.ts). */
  pollMs: number;
  /** After a change is noticed, how long to let a person finish typing before reading the table. */
  settleMs: number;
}

const DRIVE_ID = /^[A-Za-z0-9_-]+$/;

/** Exported for `npm run template:create`, which runs before there is a template (`requireTemplate: false`). */
export function loadGoogleConfig(env: NodeJS.ProcessEnv, mode: Mode, port: number, problems: string[], cwd: string, requireTemplate = true): GoogleConfig {
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

  const docsWritesPerMinute = int(env, 'GOOGLE_DOCS_WRITES_PER_MINUTE', 50, 1, 600, problems);
  // Every write reads the doc first (a revision-locked write): the read budget is at least twice the writes'.
  const docsReadsPerMinute = int(env, 'GOOGLE_DOCS_READS_PER_MINUTE', Math.max(200, 2 * docsWritesPerMinute), 2, 6000, problems);
  if (docsReadsPerMinute <= docsWritesPerMinute) problems.push(`GOOGLE_DOCS_READS_PER_MINUTE must be above GOOGLE_DOCS_WRITES_PER_MINUTE (${docsWritesPerMinute}): each write reads the doc first (got ${docsReadsPerMinute})`);

  return {
    mode: googleMode,
    docsWritesPerMinute,
    docsReadsPerMinute,
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