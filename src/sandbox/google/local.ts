import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { PLAYGROUND_PEOPLE } from '../../local/people';
import { startGoogleSandbox, type GoogleSandbox } from './index';

/**
 * Local mode's Google: the sandbox on a stable port (doc links on cards keep working across restarts), its Drive
 * kept under the data directory (written before each answer, so it survives a crash too), and a service account made up for this run and trusted for domain-wide
 * delegation of `scopes`, exactly as a Workspace admin would configure a real one.
 */
export interface LocalGoogle {
  sandbox: GoogleSandbox;
  serviceAccount: { clientEmail: string; privateKey: string };
}

export async function startLocalGoogle(opts: { dataDir: string; port: number; subject: string; scopes: string[] }): Promise<LocalGoogle> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientEmail = 'firebreak-local@firebreak-sandbox.iam.gserviceaccount.com';
  const options = {
    domain: opts.subject.split('@')[1],
    // The Agents Playground's people (src/local/playground.yml) have Google accounts in the same domain, with their
    // names: private docs can be shared with them, and they can edit the docs on the sandbox's doc page.
    people: PLAYGROUND_PEOPLE,
    accountDomains: [...new Set(PLAYGROUND_PEOPLE.map((p) => p.email.split('@')[1]))],
    serviceAccounts: [{ clientEmail, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), delegatedScopes: opts.scopes }],
    stateFile: path.join(opts.dataDir, 'google-sandbox.json'),
  };
  let sandbox: GoogleSandbox;
  try {
    sandbox = await startGoogleSandbox({ ...options, port: opts.port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    sandbox = await startGoogleSandbox({ ...options, port: 0 });
  }
  return { sandbox, serviceAccount: { clientEmail, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } };
}
