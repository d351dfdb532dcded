import { clientAddress } from '../../src/http/client-address';

const req = (socket: string, xff?: string | string[]) => ({ socket: { remoteAddress: socket }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as never;

test('without trusted proxies the socket decides, whatever X-Forwarded-For claims', () => {
  expect(clientAddress(req('10.0.0.4', '198.51.100.7'), 0)).toBe('10.0.0.4');
});

test('behind one proxy: its entry (the right-most), never what the client prepended', () => {
  expect(clientAddress(req('10.0.0.4', '6.6.6.6, 203.0.113.5:54321'), 1)).toBe('203.0.113.5');
  expect(clientAddress(req('10.0.0.4', '[2001:db8::1]:443'), 1)).toBe('2001:db8::1');
  expect(clientAddress(req('10.0.0.4', '2001:db8::2'), 1)).toBe('2001:db8::2');
});

test('behind two proxies: the second from the right; too few entries fall back to the socket', () => {
  expect(clientAddress(req('10.0.0.4', ['6.6.6.6, 203.0.113.9', '10.1.1.1']), 2)).toBe('203.0.113.9');
  expect(clientAddress(req('10.0.0.4', '203.0.113.9'), 2)).toBe('10.0.0.4');
  expect(clientAddress(req('10.0.0.4'), 1)).toBe('10.0.0.4');
});
