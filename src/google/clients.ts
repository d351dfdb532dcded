import { auth as googleAuth, docs, type docs_v1 } from '@googleapis/docs';
import { drive, type drive_v3 } from '@googleapis/drive';
import type { WriteBudget } from './write-budget';

/**
 * The Docs and Drive clients, authenticated as a service account with domain-wide delegation: `subject` is the
 * Workspace user Firebreak acts as. Service accounts own no Drive storage, so files are made as that user
 * (https://developers.google.com/identity/protocols/oauth2/service-account#delegatingauthority).
 */
export const SCOPES = ['https://www.googleapis.com/auth/documents', 'https://www.googleapis.com/auth/drive'];

/** google-auth-library posts the JWT grant to this fixed URL (and signs it as the audience). */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface ServiceAccountKey {
  clientEmail: string;
  privateKey: string;
  privateKeyId?: string;
}

export interface Endpoints {
  docsUrl: string;
  driveUrl: string;
  tokenUrl: string;
}

export interface GoogleClients {
  docs: docs_v1.Docs;
  drive: drive_v3.Drive;
  /** Paces every Docs write of the service (write-budget.ts); unpaced when unset. */
  writes?: WriteBudget;
  /** Set on clients bound to an attempt (`withSignal`): their calls and retry waits stop when it aborts. */
  signal?: AbortSignal;
  /** The same clients with `signal` on every request (gaxios takes it like fetch does). */
  rebind?(signal: AbortSignal): Pick<GoogleClients, 'docs' | 'drive'>;
}

/** The clients for one effect attempt: every request they make is cancelled when `signal` aborts. */
export function withSignal(clients: GoogleClients, signal: AbortSignal | undefined): GoogleClients {
  if (!signal || !clients.rebind) return clients;
  return { ...clients, ...clients.rebind(signal), signal };
}

/**
 * `onRequest` sees every API request the clients send (method and URL) before it goes out, e.g. to count Docs reads
 * for /metrics; the request waits for it (main.ts takes each Docs read from the shared read budget there).
 */
export function googleClients(key: ServiceAccountKey, subject: string, endpoints: Endpoints, onRequest?: (method: string, url: string) => void | Promise<void>): GoogleClients {
  // The JWT class of the clients' own google-auth-library (googleapis-common pins its copy).
  const auth = new googleAuth.JWT({ email: key.clientEmail, key: key.privateKey, keyId: key.privateKeyId, scopes: SCOPES, subject });
  if (endpoints.tokenUrl !== GOOGLE_TOKEN_URL) {
    // The token URL is not configurable in google-auth-library; redirect the grant to the configured endpoint
    // (a sandbox), leaving the signed assertion, audience included, exactly as Google would receive it.
    const tokenUrl = new URL(endpoints.tokenUrl);
    auth.transporter.interceptors.request.add({
      resolved: async (config) => (String(config.url) === GOOGLE_TOKEN_URL ? { ...config, url: tokenUrl } : config),
    });
  }
  if (onRequest) {
    // googleapis sends its API calls through the auth client's transporter, so its interceptors see them all.
    auth.transporter.interceptors.request.add({
      resolved: async (config) => {
        await onRequest(String(config.method ?? 'GET').toUpperCase(), String(config.url));
        return config;
      },
    });
  }
  // retry: false - withRetry (retry.ts) decides, for POSTs and 403 rate limits too.
  const common = { auth, retry: false } as const;
  const make = (signal?: AbortSignal) => ({
    docs: docs({ version: 'v1', ...common, rootUrl: withSlash(endpoints.docsUrl), ...(signal && { signal }) }),
    drive: drive({ version: 'v3', ...common, rootUrl: withSlash(endpoints.driveUrl), ...(signal && { signal }) }),
  });
  return { ...make(), rebind: make };
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
