import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { deflateSync, inflateRawSync } from 'node:zlib';
import { readPng } from '../../scripts/app-package/png';

/** Issue 19 item 7: `npm run package` fills, validates (offline) and zips the Teams app package. */
const ROOT = path.resolve(__dirname, '../..');
const APP_ID = '0a2f4e1c-7b1d-4c55-9e0e-3f1b2c3d4e5f';
const run = promisify(execFile);

/** The entries of a ZIP, read by their local headers (APPNOTE 4.3.7). */
function unzip(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let o = 0;
  while (buf.readUInt32LE(o) === 0x04034b50) {
    const size = buf.readUInt32LE(o + 18);
    const nameLength = buf.readUInt16LE(o + 26);
    const extra = buf.readUInt16LE(o + 28);
    const name = buf.toString('utf8', o + 30, o + 30 + nameLength);
    const start = o + 30 + nameLength + extra;
    out.set(name, inflateRawSync(buf.subarray(start, start + size)));
    o = start + size;
  }
  return out;
}

test('npm run package builds appPackage.<env>.zip with the placeholders filled and the version of package.json, reaching no network', async () => {
  const { stdout, stderr } = await run('npm', ['run', '-s', 'package', '--', '--env', 'unittest'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, MICROSOFT_APP_ID: APP_ID, PUBLIC_URL: 'https://firebreak.contoso.com', NODE_OPTIONS: `--require ${path.join(ROOT, 'test/harness/net-guard.cjs')}` },
  });
  expect(stdout).toContain('appPackage/build/appPackage.unittest.zip: valid against https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.schema.json');
  // net-guard writes a line for every outbound connection: the schema came from the package, not the web.
  expect(stderr).not.toContain('netGuard');
  const files = unzip(readFileSync(path.join(ROOT, 'appPackage/build/appPackage.unittest.zip')));
  expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
  expect(manifest.id).toBe(APP_ID);
  expect(manifest.bots[0].botId).toBe(APP_ID);
  expect(manifest.validDomains).toEqual(['firebreak.contoso.com']);
  expect(manifest.version).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  expect(manifest.$schema).toBe('https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.schema.json');
  expect(JSON.stringify(manifest)).not.toContain('${{');
  expect(files.get('color.png')!.equals(readFileSync(path.join(ROOT, 'appPackage/color.png')))).toBe(true);
}, 60_000);

test('a missing variable fails with a line naming it, and no zip', async () => {
  const failed = await run('npm', ['run', '-s', 'package', '--', '--env', 'missing'], { cwd: ROOT, env: { PATH: process.env.PATH } }).then(
    () => undefined,
    (e: { code: number; stderr: string }) => e,
  );
  expect(failed?.code).toBe(1);
  expect(failed?.stderr).toContain('MICROSOFT_APP_ID is not set');
  expect(failed?.stderr).toContain('PUBLIC_URL is not set');
}, 60_000);

/** An 8-bit RGBA PNG of one colour. */
function solidPng(size: number, rgba: [number, number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'latin1');
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(Buffer.concat([head.subarray(4), body])), 0);
    return Buffer.concat([head, body, tail]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) raw.set(rgba, y * (size * 4 + 1) + 1 + x * 4);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

test("the icons' sizes and transparency, duplicate command ids, domains and the schema are checked", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'firebreak-app-package-'));
  cpSync(path.join(ROOT, 'appPackage'), dir, { recursive: true, filter: (f) => path.basename(f) !== 'build' });
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  manifest.composeExtensions[0].commands[1].id = manifest.composeExtensions[0].commands[0].id;
  manifest.validDomains.push('https://with.scheme.example/path');
  manifest.name.short = 'x'.repeat(31); // the schema allows 30
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(path.join(dir, 'outline.png'), solidPng(32, [200, 30, 30, 255])); // red, opaque
  writeFileSync(path.join(dir, 'color.png'), solidPng(96, [200, 30, 30, 255]));
  // (Through the script: @microsoft/app-manifest needs ES modules that Jest's CommonJS runtime cannot load.)
  const failed = await run('npm', ['run', '-s', 'package', '--', '--env', 'unittest', '--dir', dir], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, MICROSOFT_APP_ID: APP_ID, PUBLIC_URL: 'https://firebreak.contoso.com' },
  }).then(
    () => undefined,
    (e: { code: number; stderr: string }) => e,
  );
  expect(failed?.code).toBe(1);
  expect(existsSync(path.join(dir, 'build'))).toBe(false);
  const text = failed!.stderr;
  expect(text).toContain('command id "declareIncident" is used twice');
  expect(text).toContain('validDomains: "https://with.scheme.example/path" is not a domain');
  expect(text).toContain('icons.color must be 192x192 pixels (is 96x96)');
  expect(text).toContain('icons.outline must have a transparent background (no pixel is transparent)');
  expect(text).toContain('icons.outline must be white on transparent (1024 visible pixels are not white)');
  expect(text).toMatch(/schema: \/name\/short must NOT have more than 30 characters/);
}, 60_000);

test("the shipped icons pass: color 192x192, outline 32x32 white on transparent", () => {
  const outline = readPng(readFileSync(path.join(ROOT, 'appPackage/outline.png')));
  expect([outline.width, outline.height, outline.hasAlpha]).toEqual([32, 32, true]);
  const alphas = new Set<number>();
  for (let p = 3; p < outline.rgba!.length; p += 4) alphas.add(outline.rgba![p]);
  expect(alphas.has(0)).toBe(true);
});
