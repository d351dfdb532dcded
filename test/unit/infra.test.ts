import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config';

/**
 * Issue 19 item 5: no Bicep compiler runs here, so infra/azure.bicep is cross-checked against the code and the docs:
 * the settings a production start requires are set by the Bicep app settings; every setting it sets is one the code
 * reads (or the platform's); no secret sits in a plain app setting; every parameter is documented; the parameters
 * file and m365agents.yml fit it.
 */
const ROOT = path.resolve(__dirname, '../..');
const bicep = readFileSync(path.join(ROOT, 'infra/azure.bicep'), 'utf8');
const deployDoc = readFileSync(path.join(ROOT, 'docs/deploy-azure.md'), 'utf8');

/** `{ name: 'X', value: ... }` entries of one `var <block> = [ ... ]` (or `... ? [] : [ ... ]`). */
function settings(block: string): Map<string, string> {
  const start = bicep.indexOf(`var ${block} =`);
  expect(start).toBeGreaterThanOrEqual(0);
  const body = bicep.slice(start, bicep.indexOf('\n]', start));
  return new Map([...body.matchAll(/\{ name: '([A-Z0-9_]+)', value: (.+) \}/g)].map((m) => [m[1], m[2]]));
}
const blocks = ['coreSettings', 'graphSettings', 'metricsSettings', 'googleSettings'];
const all = new Map(blocks.flatMap((b) => [...settings(b)]));
const params = [...bicep.matchAll(/^param (\w+) (\w+)/gm)].map((m) => m[1]);
const secureParams = [...bicep.matchAll(/@secure\(\)\s*\nparam (\w+)/g)].map((m) => m[1]);
/** Set for the platform (App Service, Application Insights), not read by Firebreak. */
const PLATFORM = new Set(['APPLICATIONINSIGHTS_CONNECTION_STRING', 'WEBSITES_PORT', 'SCM_DO_BUILD_DURING_DEPLOYMENT']);

test('the core app settings alone make a production configuration (every required setting is set)', () => {
  // A value of the right shape for each: what the deployment resolves them to.
  const env: Record<string, string> = {};
  for (const name of settings('coreSettings').keys()) {
    env[name] = /_ID$/.test(name) ? '0a2f4e1c-7b1d-4c55-9e0e-3f1b2c3d4e5f' : name === 'DATABASE_URL' ? 'postgres://firebreak@db.example/firebreak' : /URL$/.test(name) ? 'https://firebreak.example' : /PORT$/.test(name) ? '8080' : name === 'HOST' ? '0.0.0.0' : name === 'LOG_LEVEL' ? 'info' : name === 'TRUSTED_PROXY_HOPS' ? '1' : 'secret-from-key-vault';
  }
  const config = loadConfig(env, ROOT);
  expect(config.mode).toBe('production');
  // And each of the four a production start needs is one of them: without it, the configuration is refused.
  for (const required of ['MICROSOFT_APP_ID', 'MICROSOFT_APP_PASSWORD', 'MICROSOFT_APP_TENANT_ID', 'DATABASE_URL']) {
    const { [required]: _, ...without } = env;
    void _;
    if (required === 'MICROSOFT_APP_ID') continue; // without it the start is local mode, not a production start
    expect(() => loadConfig(without, ROOT)).toThrow(required);
  }
});

test('every app setting the Bicep sets is one the code reads (or the platform\'s)', () => {
  const configSources = ['index', 'bot', 'graph', 'google', 'addon', 'status', 'experts', 'metrics', 'parse']
    .map((f) => readFileSync(path.join(ROOT, 'src/config', `${f}.ts`), 'utf8'))
    .join('\n');
  for (const name of all.keys()) {
    if (PLATFORM.has(name)) continue;
    expect([name, configSources.includes(`'${name}'`)]).toEqual([name, true]);
  }
});

test('no secret in a plain app setting: secrets are Key Vault references, and no @secure parameter reaches an app setting', () => {
  const secretName = /PASSWORD|SECRET|TOKEN|KEY$|_KEY_|DATABASE_URL/;
  for (const [name, value] of all) {
    if (secretName.test(name)) expect([name, value]).toEqual([name, expect.stringMatching(/^'@Microsoft\.KeyVault\(SecretUri=/)]);
    for (const p of secureParams) expect([name, new RegExp(`\\b${p}\\b`).test(value)]).toEqual([name, false]);
  }
  expect(bicep).toMatch(/keyVaultReferenceIdentity: identity\.id/);
  expect(bicep).toMatch(/enableRbacAuthorization: true/);
});

test('every Bicep parameter is documented and given by the parameters file (or has a default)', () => {
  const file = JSON.parse(readFileSync(path.join(ROOT, 'infra/azure.parameters.json'), 'utf8')) as { parameters: Record<string, unknown> };
  for (const p of params) {
    expect([p, deployDoc.includes(`\`${p}\``)]).toEqual([p, true]);
    const hasDefault = new RegExp(`^param ${p} \\w+ = `, 'm').test(bicep);
    expect([p, hasDefault || p in file.parameters]).toEqual([p, true]);
  }
  for (const given of Object.keys(file.parameters)) expect(params).toContain(given);
});

test('m365agents.yml deploys this Bicep, builds and checks the app package, and zip-deploys to the app the Bicep outputs', () => {
  const lifecycle = parse(readFileSync(path.join(ROOT, 'm365agents.yml'), 'utf8')) as { provision: { uses: string; with?: Record<string, any> }[]; deploy: { uses: string; with?: Record<string, any> }[] };
  const arm = lifecycle.provision.find((s) => s.uses === 'arm/deploy');
  expect(arm?.with?.templates[0]).toMatchObject({ path: './infra/azure.bicep', parameters: './infra/azure.parameters.json' });
  expect(lifecycle.provision.map((s) => s.uses)).toEqual(expect.arrayContaining(['aadApp/create', 'teamsApp/create', 'teamsApp/validateAppPackage', 'teamsApp/update']));
  expect(lifecycle.provision.some((s) => s.uses === 'cli/runNpmCommand' && String(s.with?.args).startsWith('run package'))).toBe(true);
  expect(lifecycle.deploy.some((s) => s.uses === 'cli/runNpmCommand' && s.with?.args === 'run build')).toBe(true);
  const zipDeploy = lifecycle.deploy.find((s) => s.uses === 'azureAppService/zipDeploy');
  const output = /\$\{\{(\w+)\}\}/.exec(String(zipDeploy?.with?.resourceId))?.[1];
  expect(bicep).toContain(`output ${output} string = app.id`);
  // Every variable the parameters file and the lifecycle use is named in env/.env.dev (secrets: in its comment).
  const envDev = readFileSync(path.join(ROOT, 'env/.env.dev'), 'utf8');
  const used = new Set([...readFileSync(path.join(ROOT, 'infra/azure.parameters.json'), 'utf8').matchAll(/\$\{\{(\w+)\}\}/g)].map((m) => m[1]));
  for (const v of used) expect([v, envDev.includes(v)]).toEqual([v, true]);
});
