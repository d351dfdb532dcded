import { channelRefusal, MAX_CLOCK_SKEW_SECONDS, tenantRefusal, tokenRefusal } from '../../src/teams/inbound-checks';

/**
 * The checks Firebreak makes itself around botbuilder's (end to end, signed: test/e2e/inbound-auth.test.ts). They
 * read the token without its signature, so these tokens carry a placeholder one.
 */
const ISSUER = 'https://api.botframework.com';
const NOW = 1_800_000_000;
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
  `Bearer ${part({ alg: 'RS256', kid: 'k1', ...header })}.${part({ iss: ISSUER, exp: NOW + 3600, ...claims })}.c2lnbmF0dXJl`;

test('the skew allowed either side is exactly 5 minutes', () => {
  expect(tokenRefusal(sign({ exp: NOW - MAX_CLOCK_SKEW_SECONDS }), ISSUER, NOW)).toBeUndefined();
  expect(tokenRefusal(sign({ exp: NOW - MAX_CLOCK_SKEW_SECONDS - 1 }), ISSUER, NOW)).toMatch(/^the token expired at /);
  expect(tokenRefusal(sign({ nbf: NOW + MAX_CLOCK_SKEW_SECONDS }), ISSUER, NOW)).toBeUndefined();
  expect(tokenRefusal(sign({ nbf: NOW + MAX_CLOCK_SKEW_SECONDS + 1 }), ISSUER, NOW)).toMatch(/^the token is not valid before /);
  expect(MAX_CLOCK_SKEW_SECONDS).toBeLessThanOrEqual(300);
});

test.each([
  ['no header', undefined, 'no Authorization header'],
  ['another scheme', 'Basic dXNlcjpwYXNz', 'the Authorization header is not "Bearer <JWT>"'],
  ['two spaces', sign({}).replace('Bearer ', 'Bearer  '), 'the Authorization header is not "Bearer <JWT>"'],
  ['an unsigned token', sign({}, { alg: 'none' }), 'the token is signed with "none", not RS256/384/512'],
  ['an HMAC token', sign({}, { alg: 'HS256' }), 'the token is signed with "HS256", not RS256/384/512'],
  ['not a JWT', 'Bearer bm90.YQ.and0', 'the bearer token is not a JWT'],
  ['no kid', sign({}, { kid: undefined }), 'the token names no signing key (kid)'],
  ['another issuer', sign({ iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/' }), 'the token was issued by "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/", not https://api.botframework.com'],
  ['no exp', sign({ exp: undefined }), 'the token has no expiry (exp)'],
  ['a string exp', sign({ exp: String(NOW + 60) }), 'the token has no expiry (exp)'],
  ['a string nbf', sign({ nbf: 'soon' }), 'the token is not valid before "soon"'],
])('%s is refused', (_name, header, reason) => {
  expect(tokenRefusal(header, ISSUER, NOW)).toBe(reason);
});

test('channels: msteams only', () => {
  expect(channelRefusal({ channelId: 'msteams' })).toBeUndefined();
  expect(channelRefusal({ channelId: 'MSTeams' })).toBe('channel "MSTeams" is not served: Firebreak serves msteams only');
  expect(channelRefusal({})).toBe('the activity names no channelId: Firebreak serves msteams only');
});

test('tenants: every place that names one must name an allowed one, and one must be named', () => {
  const ours = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
  expect(tenantRefusal({ conversation: { tenantId: ours.toUpperCase() }, channelData: { tenant: { id: ours } } }, [ours])).toBeUndefined();
  expect(tenantRefusal({ channelData: { tenant: { id: ours } } }, [ours])).toBeUndefined();
  expect(tenantRefusal({ conversation: { tenantId: ours }, channelData: { tenant: { id: 'other' } } }, [ours])).toBe('tenant "other" is not served here');
  expect(tenantRefusal({ conversation: { tenantId: 42 } }, [ours])).toBe('tenant "42" is not served here');
  expect(tenantRefusal({ conversation: {}, channelData: {} }, [ours])).toMatch(/^the activity names no tenant/);
});
