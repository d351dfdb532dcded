import { allowedHostNames, hostName, misdirected } from '../../src/http/hosts';

test('the Host header is reduced to its name: port, brackets, case and a trailing dot go', () => {
  expect(hostName('LocalHost:3978')).toBe('localhost');
  expect(hostName('[::1]:3978')).toBe('::1');
  expect(hostName('localhost.')).toBe('localhost');
  expect(hostName('127.0.0.1')).toBe('127.0.0.1');
});

test('a name that only starts or ends like an allowed one is not allowed', () => {
  const allowed = allowedHostNames('firebreak.test');
  for (const host of ['localhost.rebind.example', 'rebind.localhost.example', '127.0.0.1.nip.io', 'xfirebreak.test', 'firebreak.test.evil', '127.0.0.2']) {
    expect({ host, refused: Boolean(misdirected(host, allowed, 'x')) }).toEqual({ host, refused: true });
  }
  for (const host of ['firebreak.test:80', 'LOCALHOST', '[::1]']) expect(misdirected(host, allowed, 'x')).toBeUndefined();
});

test('the reason names what is allowed and what was asked for', () => {
  expect(misdirected('rebind.example:3978', allowedHostNames(), 'this local Firebreak')).toBe(
    'this local Firebreak answers only to localhost, 127.0.0.1, ::1, not "rebind.example"',
  );
  expect(misdirected(undefined, allowedHostNames(), 'x')).toMatch(/not a request without a Host header$/);
});
