import path from 'node:path';
import { addonConfig, type AddonConfig } from './addon';
import { botConfig, type BotConfig } from './bot';
import { loadGoogleConfig, type GoogleConfig } from './google';
import { graphConfig, type GraphConfig } from './graph';
import { int } from './parse';
import { statusConfig, type StatusConfig } from './status';
import { expertsSsoConfig, type ExpertsSsoConfig } from './experts';
import { metricsConfig, type MetricsConfig } from './metrics';
import { alertsConfig, type AlertsConfig } from './alerts';

export type { AddonConfig } from './addon';
export type { BotConfig } from './bot';
export type { GoogleConfig, TimelineConfig } from './google';
export type { GraphConfig } from './graph';
export { loadGoogleConfig } from './google';

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
  /** How far back a new declaration is compared with active incidents of its team ("Looks like INC-7"); 0: never. */
  similarWindowMinutes: number;
  graph: GraphConfig;
  workers: WorkerConfig;
  google: GoogleConfig;
  addon: AddonConfig;
  /** The organisation file and the status page (src/config/status.ts). */
  status: StatusConfig;
  /** The experts page's Teams SSO (src/config/experts.ts); undefined in local mode, where the page is open on loopback. */
  expertsSso?: ExpertsSsoConfig;
  /** `/metrics` (src/config/metrics.ts). */
  metrics: MetricsConfig;
  /** The monitoring webhooks' token (src/config/alerts.ts). */
  alerts: AlertsConfig;
}

/** The effect workers' retry schedule. */
export interface WorkerConfig {
  retryBaseMs: number;
  retryCapMs: number;
  giveUpAfterMs: number;
  /** How long a declaration mail waits for the channel and bridge links before going without them. */
  mailWaitMs: number;
  /** How long a claimed effect is leased to one worker; after a crash, its effects wait this long to be taken up. */
  leaseMs: number;
  /** A mail whose sending was under way (a crash, a timeout) is looked for in Sent Items this long before it is sent again. */
  mailSentCopyWaitMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Firebreak's configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

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
  const bot = botConfig(mode, problems, str, url);

  let databaseUrl = str('DATABASE_URL');
  if (mode === 'production') {
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
  const similarWindowMinutes = int(env, 'SIMILAR_DECLARATION_MINUTES', 30, 0, 24 * 60, problems);

  const status = statusConfig(mode, port, publicUrl, problems, str, url, cwd);

  const expertsSso = expertsSsoConfig(mode, bot, publicUrl, str, url);
  const metrics = metricsConfig(mode, problems, str);
  const alerts = alertsConfig(mode, problems, str);

  if (problems.length) throw new ConfigError(problems);
  return { ...(expertsSso && { expertsSso }), metrics, alerts, mode, port, host, publicUrl, dataDir, databaseUrl, logLevel: logLevel as Config['logLevel'], bot, similarWindowMinutes, graph, workers, google, addon, status, ...(announcements ? { announcements } : {}) };
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
    leaseMs: int(env, 'EFFECT_LEASE_SECONDS', 60, 3, 3600, problems) * 1000,
    mailSentCopyWaitMs: int(env, 'MAIL_SENT_COPY_WAIT_SECONDS', 30, 0, 3600, problems) * 1000,
  };
}
