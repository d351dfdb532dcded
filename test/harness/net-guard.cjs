// Preloaded into a server process under test (NODE_OPTIONS=--require <this file>; plain CommonJS because it runs
// before tsx is loaded). Every outbound TCP connection the process opens is written as one JSON line on stderr,
// {"netGuard":"connect","host":...,"port":...}, and one to any host but loopback is failed before a packet leaves
// ({"netGuard":"blocked",...}). HTTP clients (node-fetch in botbuilder, undici's fetch, https) all connect through
// net.Socket.prototype.connect, so a test can tell which hosts were called and that a request caused no call at all.
'use strict';
const net = require('node:net');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '::ffff:127.0.0.1']);
const connect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function guardedConnect(...args) {
  // net.connect() passes its normalised [options, callback] array; callers of socket.connect() pass (options, cb)
  // or (port, host, cb).
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  if (options.path) return connect.apply(this, args); // a local IPC socket, not the network
  const host = String(options.host ?? 'localhost').toLowerCase();
  const line = (kind) => process.stderr.write(`${JSON.stringify({ netGuard: kind, host, port: Number(options.port) })}\n`);
  if (!LOOPBACK.has(host)) {
    line('blocked');
    const error = Object.assign(new Error(`net-guard: no connection to ${host} from a test`), { code: 'ECONNREFUSED' });
    process.nextTick(() => this.destroy(error));
    return this;
  }
  line('connect');
  return connect.apply(this, args);
};
