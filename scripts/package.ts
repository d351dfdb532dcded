/**
 * `npm run package [-- --env <name>]`: appPackage/build/appPackage.<env>.zip (manifest.json, color.png, outline.png at
 * the root), from appPackage/manifest.json with its ${{...}} placeholders filled from the same variables the service
 * reads (MICROSOFT_APP_ID; PUBLIC_HOST from PUBLIC_URL), the version from package.json. The variables come from the
 * environment, else env/.env.<env> (the Microsoft 365 Agents Toolkit's layout). The manifest is validated against its
 * $schema with Microsoft's @microsoft/app-manifest (the schemas ship inside it: nothing is fetched) and against the
 * offline rules in app-package/checks.ts (`--dir <folder>` packages another folder, into <folder>/build). Any problem: exit 1, one line each, and no zip.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildAppPackage } from './app-package/build';

const ROOT = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--env');
  const envName = at >= 0 ? args[at + 1] : process.env.FIREBREAK_ENV || 'dev';
  if (!envName || !/^[a-z0-9-]+$/i.test(envName)) throw new Error('--env takes a name like dev or prod');
  const dirAt = args.indexOf('--dir');
  // --dir: another app package folder (tests); its zip goes to <dir>/build.
  const appDir = dirAt >= 0 ? path.resolve(args[dirAt + 1]) : path.join(ROOT, 'appPackage');
  const file = path.join(ROOT, 'env', `.env.${envName}`);
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  const vars = { ...fromFile, ...definedOnly(process.env) };
  const result = await buildAppPackage({ dir: appDir, version: JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version, vars });
  if (result.problems.length) {
    process.stderr.write(`The Teams app package was not built (${result.problems.length} problem(s)):\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  const outDir = path.join(appDir, 'build');
  mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, `appPackage.${envName}.zip`);
  writeFileSync(out, result.zip!);
  writeFileSync(path.join(outDir, `manifest.${envName}.json`), result.manifest!);
  process.stdout.write(`${path.relative(ROOT, out)}: valid against ${result.schema} and the offline checks\n`);
}

/** KEY=VALUE lines; # comments; optional quotes. */
function parseEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m && !line.trim().startsWith('#')) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
}

main().catch((err) => {
  process.stderr.write(`npm run package failed: ${(err as Error).message}\n`);
  process.exit(1);
});
