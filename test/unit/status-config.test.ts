import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { EXAMPLE_ORG_FILE } from '../../src/org/load';

const PRODUCTION = { MICROSOFT_APP_ID: '9d6c3f1e-1111-4222-8333-944444444444', MICROSOFT_APP_PASSWORD: 's', MICROSOFT_APP_TENANT_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', DATABASE_URL: 'pglite:memory' };
const problems = (env: Record<string, string>, cwd: string) => {
  try {
    loadConfig(env, cwd);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
};

test('local mode reads the example organisation file and puts the status origin on PORT+2', () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'fb-cwd-'));
  expect(loadConfig({ PORT: '4000' }, empty).status).toMatchObject({ org: { path: EXAMPLE_ORG_FILE }, port: 4002, url: 'http://localhost:4002' });
});

test('./firebreak.org.yml wins over the example; production without one has no status page', () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'fb-cwd-'));
  expect(loadConfig(PRODUCTION, cwd).status.org).toBeUndefined();
  writeFileSync(path.join(cwd, 'firebreak.org.yml'), 'status_page: {name: Own, components: [{id: api, name: API}]}\naudiences: [{id: all, name: All, channels: {status_page: true}, templates: {first_contact: {title: Down, body: "{{summary}}"}}}]\n');
  expect(loadConfig(PRODUCTION, cwd).status).toMatchObject({ org: { statusPage: { name: 'Own' } }, url: 'http://localhost:3978/status' });
  expect(loadConfig({ ...PRODUCTION, STATUS_URL: 'https://status.example.com' }, cwd).status).toMatchObject({ host: 'status.example.com' });
});

test('a bad STATUS_PORT, a missing FIREBREAK_ORG_FILE and a bad STATUS_URL are named with the rest', () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'fb-cwd-'));
  expect(problems({ STATUS_PORT: 'x', FIREBREAK_ORG_FILE: 'nope.yml', STATUS_URL: 'ftp://x' }, cwd)).toEqual([
    `FIREBREAK_ORG_FILE: ${path.join(cwd, 'nope.yml')}:1:1 cannot be read (ENOENT)`,
    'STATUS_PORT must be a port number 0-65535 (got "x")',
    'STATUS_URL must be an http(s) URL (got "ftp://x")',
  ]);
});
