import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DECLARE_COMMAND_ID, readyBanner } from '../../src/local/banner';

/**
 * The README, `npm start`'s banner, the manifest and `npm run screenshots` say the same: the block the README shows
 * is what is printed, the command id it names is the manifest's, and the walkthrough shows every step the script
 * takes a picture of, in order, each picture present.
 */
const ROOT = path.resolve(__dirname, '../..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

test("the README shows npm start's block as it is printed, with the mention rule and the command id", () => {
  const banner = readyBanner({ playgroundUrl: 'http://localhost:56150', sandboxUrl: 'http://127.0.0.1:3978/sandbox', dataDir: '/path/to/.firebreak' });
  expect(readme).toContain(`\`\`\`${banner}\`\`\``);
  expect(banner).toContain('PICK Firebreak from the mention list');
  expect(readme).toContain('typed or pasted `@Firebreak` text is not a mention');
  expect(readme).toContain(`command id \`${DECLARE_COMMAND_ID}\``);
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'appPackage/manifest.json'), 'utf8'));
  const ids = manifest.composeExtensions.flatMap((e: { commands: { id: string }[] }) => e.commands.map((c) => c.id));
  expect(ids).toContain(DECLARE_COMMAND_ID);
});

test('the walkthrough shows each picture npm run screenshots takes, in its order, and each is in docs/screenshots', () => {
  const script = readFileSync(path.join(ROOT, 'scripts/screenshots.ts'), 'utf8');
  const taken = [...script.matchAll(/await shot\(\w+, '([a-z-]+)'/g)].map((m, i) => `${String(i + 1).padStart(2, '0')}-${m[1]}.png`);
  expect(taken.length).toBeGreaterThanOrEqual(8);
  const shown = [...readme.matchAll(/\(docs\/screenshots\/(\d\d-[a-z-]+\.png)\)/g)].map((m) => m[1]);
  expect(shown).toEqual(taken);
  const files = readdirSync(path.join(ROOT, 'docs/screenshots')).filter((f) => /^\d\d-/.test(f));
  expect(files.sort()).toEqual(taken);
});
