import { readFileSync } from 'node:fs';
import path from 'node:path';
import { manifestErrors } from '../harness/schemas';

const dir = path.resolve(__dirname, '../../appPackage');

/** The manifest is a template: `${{MICROSOFT_APP_ID}}` and `${{PUBLIC_HOST}}` are filled at packaging time. */
function filled(): unknown {
  const text = readFileSync(path.join(dir, 'manifest.json'), 'utf8')
    .replaceAll('${{MICROSOFT_APP_ID}}', '9d6c3f1e-1111-4222-8333-944444444444')
    .replaceAll('${{PUBLIC_HOST}}', 'firebreak.example.com');
  return JSON.parse(text);
}

test('the Teams manifest validates against the Teams manifest schema', () => {
  expect(manifestErrors(filled())).toEqual([]);
});

test('the schema check can fail', () => {
  expect(manifestErrors({ ...(filled() as object), accentColor: 'orange' }).length).toBeGreaterThan(0);
});

test('icons are PNGs of the sizes Teams requires', () => {
  const size = (file: string) => {
    const png = readFileSync(path.join(dir, file));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    return [png.readUInt32BE(16), png.readUInt32BE(20)];
  };
  expect(size('color.png')).toEqual([192, 192]);
  expect(size('outline.png')).toEqual([32, 32]);
});

test('the experts page is a static tab on the public host, and its SSO resource is the page\'s token audience', () => {
  const manifest = filled() as { staticTabs?: { entityId: string; contentUrl: string; scopes: string[] }[]; webApplicationInfo?: { resource: string } };
  expect(manifest.staticTabs).toEqual([
    expect.objectContaining({ entityId: 'experts', contentUrl: 'https://firebreak.example.com/experts' }),
    expect.objectContaining({ entityId: 'reports', contentUrl: 'https://firebreak.example.com/reports' }), // issue 18 item 11: the same SSO
  ]);
  // src/config/experts.ts: EXPERTS_SSO_AUDIENCE defaults to api://<PUBLIC_URL host>/<app id>.
  expect(manifest.webApplicationInfo?.resource).toBe('api://firebreak.example.com/9d6c3f1e-1111-4222-8333-944444444444');
});
