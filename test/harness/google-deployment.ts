import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { googleClients, SCOPES, type GoogleClients } from '../../src/google/clients';
import { createTemplate } from '../../src/google/template';
import { startBotChannel, type BotChannel } from '../../src/sandbox/botframework';
import { startGoogleSandbox, type GoogleCall, type GoogleSandbox, type GoogleSandboxOptions } from '../../src/sandbox/google';
import { TENANT } from './activities';

/**
 * What a production deployment with the incident doc talks to, locally: the Bot Framework channel and the Google
 * sandbox, with a service account trusted for domain-wide delegation, a shared drive and the template in it, and
 * the key in a file, as a real deployment has it. `env` configures a production-mode Firebreak for both.
 */
export interface GoogleDeployment {
  channel: BotChannel;
  google: GoogleSandbox;
  driveId: string;
  env: Record<string, string>;
  /** Docs and Drive clients acting as `user` (a person in the domain, or the subject). */
  as(user: string): GoogleClients;
  close(): Promise<void>;
}

export const SUBJECT = 'incidents@example.com';

/** A batchUpdate that writes the doc's fields (a fill: placeholders replaced or named fields rewritten), not its timeline. */
export const isFill = (c: GoogleCall) => c.method === 'docs.documents.batchUpdate' && Boolean(c.requests?.some((r) => r === 'replaceAllText' || r.startsWith('createNamedRange firebreak.field.')));
const TENANT_ID = TENANT; // the tenant the harness's activities come from: Firebreak serves no other
const SERVICE_ACCOUNT = 'firebreak@e2e.iam.gserviceaccount.com';

export async function googleDeployment(opts: { appId: string; password: string; sandbox?: GoogleSandboxOptions }): Promise<GoogleDeployment> {
  const channel = await startBotChannel({ appId: opts.appId, appPassword: opts.password, tenantId: TENANT_ID });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const google = await startGoogleSandbox({ domain: 'example.com', serviceAccounts: [{ clientEmail: SERVICE_ACCOUNT, publicKey, delegatedScopes: SCOPES }], ...opts.sandbox });
  const as = (user: string) => googleClients({ clientEmail: SERVICE_ACCOUNT, privateKey: pem }, user, { docsUrl: google.url, driveUrl: google.url, tokenUrl: google.tokenUrl });
  const driveId = google.createSharedDrive('Incidents', { [SUBJECT]: 'organizer' });
  const template = await createTemplate(as(SUBJECT), { folderId: driveId });
  const keyFile = path.join(tmpdir(), `firebreak-sa-${randomUUID()}.json`);
  writeFileSync(keyFile, JSON.stringify({ type: 'service_account', client_email: SERVICE_ACCOUNT, private_key: pem, private_key_id: 'e2e' }));
  const env = {
    MICROSOFT_APP_ID: opts.appId,
    MICROSOFT_APP_PASSWORD: opts.password,
    MICROSOFT_APP_TENANT_ID: TENANT_ID,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    GOOGLE_SERVICE_ACCOUNT_KEY_FILE: keyFile,
    GOOGLE_SUBJECT: SUBJECT,
    GOOGLE_TEMPLATE_ID: template.id,
    GOOGLE_FOLDER_ID: driveId,
    GOOGLE_DOCS_API_URL: google.url,
    GOOGLE_DRIVE_API_URL: google.url,
    GOOGLE_TOKEN_URL: google.tokenUrl,
  };
  return {
    channel,
    google,
    driveId,
    env,
    as,
    async close() {
      await channel.close();
      await google.close();
      rmSync(keyFile, { force: true });
    },
  };
}
