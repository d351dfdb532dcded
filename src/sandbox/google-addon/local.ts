import type { AddonConfig } from '../../config';
import { startAddonIssuer, type AddonIssuer } from './issuer';
import { callAddon, sidebarRequest, type SidebarRequest } from './request';

export interface LocalAddon {
  issuer: AddonIssuer;
  /** The add-on configuration pointing at the local issuer. */
  config: AddonConfig;
  /** A signed sidebar request to this Firebreak, for the sandbox page (`target` is where Firebreak listens). */
  request(r: Omit<SidebarRequest, 'endpoint'>): { url: string; init: RequestInit };
  call(r: Omit<SidebarRequest, 'endpoint'>): ReturnType<typeof callAddon>;
  close(): Promise<void>;
}

/**
 * Local mode's add-on runtime: the issuer in-process, so requests stay authenticated exactly as in production
 * (signature, audience, issuer, service account) with keys that never leave this machine.
 */
export async function startLocalAddon(config: AddonConfig): Promise<LocalAddon> {
  const issuer = await startAddonIssuer();
  const local: AddonConfig = { ...config, serviceAccountEmail: issuer.serviceAccountEmail, oauthClientId: issuer.oauthClientId, certsUrl: issuer.certsUrl };
  return {
    issuer,
    config: local,
    request: (r) => sidebarRequest(issuer, { ...r, endpoint: local.url }),
    call: (r) => callAddon(issuer, { ...r, endpoint: local.url }),
    close: () => issuer.close(),
  };
}
