import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PLACEHOLDERS } from '../../../src/google/placeholders';
import { clockEnv } from '../../harness/clock';
import { createTemplate, parseTemplate, TEMPLATE_FILE } from '../../../src/google/template';
import { findTimeline } from '../../../src/google/timeline';
import { FAST, googleWorld, SERVICE_ACCOUNT, SUBJECT, tableRows, type GoogleWorld } from './setup';

/** The default template: its description, the doc built from it, the script, and the README's placeholder table. */
let world: GoogleWorld;
beforeAll(async () => {
  world = await googleWorld();
});
afterAll(() => world?.close());

const ROOT = path.resolve(__dirname, '../../..');
const markdown = readFileSync(TEMPLATE_FILE, 'utf8');
const setupDoc = readFileSync(path.join(ROOT, 'docs/google-setup.md'), 'utf8');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

test.each([
  ['the setup guide', setupDoc],
  ['the README', readme],
])('the template uses only known placeholders, and %s documents every one of them', (_name, doc) => {
  const used = [...markdown.replace(/<!--[\s\S]*?-->/g, '').matchAll(/\{\{([a-z_]+)\}\}/g)].map((m) => m[1]);
  const known = PLACEHOLDERS.map((p) => p.name);
  expect(used.filter((u) => !known.includes(u))).toEqual([]);
  const rows = [...doc.matchAll(/^\| `\{\{([a-z_]+)\}\}` \| (.+) \| (filled once|refreshed) \|$/gm)];
  expect(rows.map((r) => r[1]).sort()).toEqual([...known].sort());
  for (const [, name, , kept] of rows) expect([name, kept]).toEqual([name, PLACEHOLDERS.find((p) => p.name === name)!.live ? 'refreshed' : 'filled once']);
});

test('the built doc has the headings in order, styled, and a timeline table found by its header row', () => {
  const blocks = parseTemplate(markdown);
  expect(blocks.filter((b) => b.kind === 'paragraph' && b.style !== 'NORMAL_TEXT').map((b) => (b as { text: string }).text)).toEqual([
    '{{incident}}: {{title}}',
    'Summary',
    'Status',
    'Impact',
    'Timeline',
    'Executive summary',
    'Action items',
    'Appendix',
  ]);
  const doc = world.sandbox.document(world.templateId);
  const styled = doc.body.content
    .filter((el: any) => el.paragraph && el.paragraph.paragraphStyle.namedStyleType !== 'NORMAL_TEXT')
    .map((el: any) => [el.paragraph.paragraphStyle.namedStyleType, el.paragraph.elements[0].textRun.content.trim()]);
  expect(styled[0]).toEqual(['TITLE', '{{incident}}: {{title}}']);
  expect(styled.slice(1).every(([style]: string[]) => style === 'HEADING_1')).toBe(true);
  const table = findTimeline(doc);
  expect(table?.rows.map((r) => r.cells)).toEqual([['Time (UTC)', 'Who', 'Entry']]);
  expect(table?.namedRangeId).toBeUndefined(); // named when Firebreak first writes to it
  const header = doc.body.content.find((el: any) => el.table).table.tableRows[0].tableCells[0].content[0].paragraph.elements[0];
  expect(header.textRun.textStyle).toEqual({ bold: true });
  // The Timeline heading is followed by the empty paragraph insertTable always adds, then the table itself.
  const i = doc.body.content.findIndex((el: any) => el.table);
  expect(doc.body.content[i - 2].paragraph.elements[0].textRun.content).toBe('Timeline\n');
});

test('an organisation\'s own template: several tables, astral text, the timeline found wherever it is', async () => {
  const own = [
    '# Vorfall {{incident}} 🚨',
    '## Kontakte',
    '| Rolle | Person |',
    '|---|---|',
    '| Leitung | {{commander}} |',
    '| Kommunikation 📣 | {{comms_lead}} |',
    '## Verlauf',
    '| Time (UTC) | Who | Entry |',
    '| --- | --- | --- |',
    '| 00:00 | 🤖 | Vorlage |',
    'Ende.',
  ].join('\n');
  const { id } = await createTemplate(world.clients, { folderId: world.driveId, markdown: own, retry: FAST });
  const doc = world.sandbox.document(id);
  expect(tableRows(doc, doc.body.content.find((el: any) => el.table).startIndex)).toEqual([
    ['Rolle', 'Person'],
    ['Leitung', '{{commander}}'],
    ['Kommunikation 📣', '{{comms_lead}}'],
  ]);
  expect(findTimeline(doc)?.rows.map((r) => r.cells)).toEqual([['Time (UTC)', 'Who', 'Entry'], ['00:00', '🤖', 'Vorlage']]);
  expect(doc.body.content.at(-2).paragraph.elements[0].textRun.content).toBe('Ende.\n');
});

/** The script as npm runs it; async, since the sandbox it talks to lives in this process. */
function script(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--no-deprecation', '--import', 'tsx', 'scripts/template-create.ts', ...args], { cwd: ROOT, env: { PATH: process.env.PATH!, ...clockEnv(), ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

test('npm run template:create builds it in the configured folder and prints its id', async () => {
  const key = JSON.stringify({ type: 'service_account', client_email: SERVICE_ACCOUNT, private_key: world.privateKey });
  const run = await script(['--name', 'Our template'], {
    GOOGLE_SERVICE_ACCOUNT_KEY: key,
    GOOGLE_SUBJECT: SUBJECT,
    GOOGLE_FOLDER_ID: world.driveId,
    GOOGLE_DOCS_API_URL: world.sandbox.url,
    GOOGLE_DRIVE_API_URL: world.sandbox.url,
    GOOGLE_TOKEN_URL: world.sandbox.tokenUrl,
  });
  expect(run.stderr).toContain('Set GOOGLE_TEMPLATE_ID');
  const id = run.stdout.trim();
  expect(world.sandbox.files().find((f) => f.id === id)).toMatchObject({ name: 'Our template', driveId: world.driveId, appProperties: { firebreakKind: 'template' } });
  expect(findTimeline(world.sandbox.document(id))).toBeDefined();
  expect(run.stdout).not.toContain('PRIVATE KEY');
});

test('the script names every configuration problem at once', async () => {
  const run = await script([], { GOOGLE_SERVICE_ACCOUNT_KEY: '{"client_email": 1}', GOOGLE_SUBJECT: 'not-an-email', GOOGLE_SHARE_ROLE: 'owner' });
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('GOOGLE_SERVICE_ACCOUNT_KEY must have client_email and private_key');
  expect(run.stderr).toContain('GOOGLE_SUBJECT must be the email');
  expect(run.stderr).not.toContain('GOOGLE_TEMPLATE_ID'); // this is the command that makes one
  expect(run.stderr).toContain('GOOGLE_SHARE_ROLE must be writer or commenter');
});
