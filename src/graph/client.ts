import { ClientSecretCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { HttpsTransport } from './transport';

export interface GraphClientOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** `https://graph.microsoft.com` in production; the emulator's URL in tests and local mode. */
  baseUrl: string;
  /** `https://login.microsoftonline.com` in production. */
  authorityHost: string;
  /** A CA to trust in-process (the local emulator's self-signed certificate). */
  ca?: string;
  /** Retries the SDK's RetryHandler makes inside one attempt (429/503/504), honouring Retry-After. */
  maxRetries?: number;
  /** Longest Retry-After waited for inside one attempt; longer ones go back to the outbox. */
  maxInlineWaitSeconds?: number;
  timeoutMs?: number;
}

const KNOWN_GRAPH_HOSTS = new Set(['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn']);

/**
 * A Graph client with app-only tokens from ClientSecretCredential (scope https://graph.microsoft.com/.default)
 * and the SDK's own chain: Authentication -> Retry -> Redirect -> Telemetry -> transport.
 */
export function createGraphClient(opts: GraphClientOptions): Client {
  const credential = new ClientSecretCredential(opts.tenantId, opts.clientId, opts.clientSecret, {
    authorityHost: opts.authorityHost,
    // MSAL only knows Microsoft's clouds; for any other authority (the emulator) it would ask
    // login.microsoftonline.com for instance metadata first. This makes it read the authority's own
    // /v2.0/.well-known/openid-configuration instead (msal-common Authority.updateCloudDiscoveryMetadata).
    disableInstanceDiscovery: opts.authorityHost !== 'https://login.microsoftonline.com',
    ...(opts.ca ? { tlsOptions: { ca: opts.ca } } : {}),
  });
  const auth = new TokenCredentialAuthenticationProvider(credential, { scopes: ['https://graph.microsoft.com/.default'] });
  const maxInlineWait = opts.maxInlineWaitSeconds ?? 10;
  // The SDK would wait any Retry-After up to 180 s while this worker holds the effect's lease; past a few
  // seconds the wait belongs in the outbox (durable, and visible on the card as "retrying").
  const shouldRetry = (_delay: number, _attempt: number, _req: unknown, _opts: unknown, response: Response) =>
    retryAfterSeconds(response.headers) <= maxInlineWait;
  const host = new URL(opts.baseUrl).hostname;
  return Client.initWithMiddleware({
    baseUrl: opts.baseUrl,
    defaultVersion: 'v1.0',
    // The AuthenticationHandler attaches the token only to Graph's own hosts and these (https only).
    customHosts: KNOWN_GRAPH_HOSTS.has(host) ? undefined : new Set([host]),
    middleware: [
      new AuthenticationHandler(auth),
      new RetryHandler(new RetryHandlerOptions(1, opts.maxRetries ?? 3, shouldRetry)),
      new RedirectHandler(new RedirectHandlerOptions()),
      new TelemetryHandler(),
      new HttpsTransport({ ca: opts.ca, timeoutMs: opts.timeoutMs ?? 20_000 }),
    ],
  });
}

/** Retry-After in seconds (delta-seconds or an HTTP date), 0 when absent. */
export function retryAfterSeconds(headers: Headers | undefined): number {
  const value = headers?.get('retry-after');
  if (!value) return 0;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? 0 : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
