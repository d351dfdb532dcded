/**
 * `npm run template:create`: builds the default incident-doc template (templates/incident-doc.md) as a Google Doc
 * in GOOGLE_FOLDER_ID (or the subject's My Drive) and prints its id, the value for GOOGLE_TEMPLATE_ID.
 * Uses the same configuration as the server: GOOGLE_SERVICE_ACCOUNT_KEY_FILE (or _KEY), GOOGLE_SUBJECT.
 * Options: --name "<doc name>".
 */
import { ConfigError, loadGoogleConfig } from '../src/config';
import { googleClients } from '../src/google/clients';
import { createTemplate } from '../src/google/template';

async function main(): Promise<void> {
  const problems: string[] = [];
  const g = loadGoogleConfig(process.env, 'production', 0, problems, process.cwd(), false);
  if (problems.length) throw new ConfigError(problems);
  if (g.mode !== 'google') {
    process.stderr.write('template:create needs a service account: set GOOGLE_SERVICE_ACCOUNT_KEY_FILE and GOOGLE_SUBJECT (see docs/google-setup.md).\n');
    process.exit(2);
  }
  const nameAt = process.argv.indexOf('--name');
  const name = nameAt > 0 ? process.argv[nameAt + 1] : undefined;
  const template = await createTemplate(googleClients(g.serviceAccount!, g.subject, g), { folderId: g.folderId, name });
  process.stderr.write(`Created the incident-doc template: ${template.url}\nSet GOOGLE_TEMPLATE_ID to the id below.\n`);
  process.stdout.write(`${template.id}\n`);
}

main().catch((err) => {
  process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `template:create failed: ${(err as Error).message}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
