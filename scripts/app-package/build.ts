import { AppManifestUtils } from '@microsoft/app-manifest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { manifestProblems } from './checks';
import { readPng } from './png';
import { zip } from './zip';

export interface Built {
  problems: string[];
  zip?: Buffer;
  manifest?: string;
  schema?: string;
}

/** Fills, validates and zips the app package (see scripts/package.ts). */
export async function buildAppPackage(opts: { dir: string; version: string; vars: Record<string, string | undefined> }): Promise<Built> {
  const problems: string[] = [];
  const vars: Record<string, string> = {};
  const appId = opts.vars.MICROSOFT_APP_ID ?? '';
  if (appId) vars.MICROSOFT_APP_ID = appId;
  const publicUrl = opts.vars.PUBLIC_URL ?? '';
  if (publicUrl) {
    try {
      const u = new URL(publicUrl);
      if (u.protocol !== 'https:') problems.push(`PUBLIC_URL must be https for Teams (got "${publicUrl}")`);
      vars.PUBLIC_HOST = u.host;
    } catch {
      problems.push(`PUBLIC_URL must be a URL (got "${publicUrl}")`);
    }
  }
  const template = readFileSync(path.join(opts.dir, 'manifest.json'), 'utf8');
  const missing = new Set<string>();
  const filled = template.replace(/\$\{\{([A-Z0-9_]+)\}\}/g, (_, name: string) => {
    if (vars[name] !== undefined) return vars[name];
    missing.add(name === 'PUBLIC_HOST' ? 'PUBLIC_URL' : name);
    return '';
  });
  for (const name of missing) problems.push(`${name} is not set (in the environment or env/.env.<env>): the manifest needs it`);
  if (problems.length) return { problems };

  const manifest = JSON.parse(filled) as Record<string, any>;
  manifest.version = opts.version;
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  const schemaErrors = await AppManifestUtils.validateAgainstSchema(manifest as never);
  problems.push(...schemaErrors.map((e) => `schema: ${e}`));

  const files: { name: string; data: Buffer }[] = [{ name: 'manifest.json', data: Buffer.from(text) }];
  const icons: Record<string, ReturnType<typeof readPng>> = {};
  for (const kind of ['color', 'outline'] as const) {
    const name = manifest.icons?.[kind];
    try {
      const data = readFileSync(path.join(opts.dir, name));
      icons[kind] = readPng(data);
      files.push({ name, data });
    } catch (err) {
      problems.push(`icons.${kind} (${name}): ${(err as Error).message}`);
    }
  }
  if (icons.color && icons.outline) problems.push(...manifestProblems(manifest, { color: icons.color, outline: icons.outline }));
  if (problems.length) return { problems };
  return { problems, zip: zip(files), manifest: text, schema: manifest.$schema };
}
