import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clockEnv } from './clock';

export interface RunningFirebreak {
  url: string;
  /** The server process's id (the memory bench reads its /proc status; the bench's cleanup test checks it is gone). */
  pid: number;
  logs: string[];
  stop(): Promise<void>;
  /** SIGKILL: a crash, nothing finished or flushed. */
  kill(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');

/**
 * How the server is started: the build the global setup or the bench made (`dist/main.js`, what production runs),
 * else the sources through tsx (a test file run without the global setup). Read at each start: the bench builds after
 * this module is loaded.
 */
/**
 * Node's flags as production starts the build (package.json `start:prod`, which the Dockerfile and the App Service
 * command repeat), so the tests and the bench run what production runs: a young generation of 4 MB semi-spaces, so
 * objects held across a 300 ms outside call are collected before they fill the old generation, and V8 favouring size
 * over speed (issue 15 item 6: RSS on PostgreSQL with 50 incidents under notes 158 -> 115 MB; `npm run bench` shows
 * what it costs the acks).
 */
export const PRODUCTION_NODE_FLAGS: string[] = (() => {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return scripts['start:prod'].split(/\s+/).filter((t) => t.startsWith('--') && t !== '--no-deprecation');
})();

const server = () => (process.env.FIREBREAK_TEST_DIST ? [...PRODUCTION_NODE_FLAGS, process.env.FIREBREAK_TEST_DIST] : ['--import', 'tsx', 'src/main.ts']);

/** Every server process started here and not yet exited: what `killAllFirebreaks` ends when a run stops abruptly. */
const live = new Set<ChildProcess>();

/**
 * SIGKILLs every server process still running, e.g. from the bench's handlers for a thrown error, SIGINT/SIGTERM or
 * an uncaught exception (a crashed bench once left a 900 MB server behind). The signal goes out synchronously, so it
 * also works from a process 'exit' handler; the promise settles once they have exited.
 */
export function killAllFirebreaks(): Promise<void> {
  const children = [...live];
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  return Promise.all(children.map((child) => (child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((r) => child.once('exit', r))))).then(() => undefined);
}

/**
 * A port for a server when the test names none: below Linux's ephemeral range (32768-60999), so no outbound connection
 * of this or another test can hold it; two workers picking the same one is met by trying another (CI once lost a run
 * to a pick at 37052 that a client socket held).
 */
function pickPort(): string {
  return String(20000 + Math.floor(Math.random() * 12000));
}

/**
 * Starts the real server process (`src/main.ts`, built) with the given environment and waits for /healthz, up to
 * `healthyWithinMs` (50 s by default; the bench, whose machine is loaded, gives more).
 */
export async function startFirebreak(env: Record<string, string>, opts: { healthyWithinMs?: number } = {}): Promise<RunningFirebreak> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce({ PORT: pickPort(), ...env }, opts.healthyWithinMs ?? 50_000);
    } catch (err) {
      if (env.PORT !== undefined || attempt >= 5 || !(err instanceof PortTaken)) throw err;
    }
  }
}

class PortTaken extends Error {}

/**
 * Whether process `pid` holds the listening socket of `port` (Linux: /proc/net/tcp{,6} and the process's fds); true
 * where /proc cannot tell.
 */
function listensOn(pid: number, port: number): boolean {
  try {
    const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
    const inodes = new Set<string>();
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
        const f = line.trim().split(/\s+/);
        if (f[1]?.endsWith(hex) && f[3] === '0A') inodes.add(f[9]); // 0A: LISTEN
      }
    }
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '');
      } catch {
        return false;
      }
    });
  } catch {
    return true;
  }
}

async function startOnce(env: Record<string, string>, healthyWithinMs: number): Promise<RunningFirebreak> {
  const port = env.PORT;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'firebreak-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['--no-deprecation', ...server()], {
    cwd: ROOT,
    // Tests declare the same titles over and over in one team: the "Looks like INC-7" check is off unless a test asks for it.
    env: { PATH: process.env.PATH, ...clockEnv(), FIREBREAK_DATA_DIR: dataDir, LOG_LEVEL: 'debug', SIMILAR_DECLARATION_MINUTES: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const collect = (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  live.add(child);
  // The data directory made here goes with the process (the suite used to leave some 600 MB of them in /tmp); a test
  // that restarts on the same data names its own FIREBREAK_DATA_DIR or DATABASE_URL.
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve)).finally(() => rmSync(dataDir, { recursive: true, force: true }));
  void exited.then(() => live.delete(child));
  const url = `http://127.0.0.1:${port}`;
  // Generous: on a loaded 2-core machine tsx and PGlite can take tens of seconds; the hooks allow 60 s.
  const deadline = Date.now() + healthyWithinMs;
  for (;;) {
    // A signal ends it too (killAllFirebreaks while it starts): no waiting out the deadline for a dead process.
    if (child.exitCode !== null || child.signalCode !== null) {
      await exited;
      const said = logs.join('\n');
      // The server's port or one it derives from it (the local Google sandbox, the status page) was taken.
      if (said.includes('EADDRINUSE')) throw new PortTaken(`a port near ${port} is taken`);
      throw new Error(`firebreak exited with ${child.exitCode ?? child.signalCode}:\n${said}`);
    }
    try {
      // Each probe has its own timeout: a server slow to answer under load is asked again, not waited on forever.
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
      // Answered by our server, not another test's that holds the port (ours then dies of EADDRINUSE as it listens).
      if (res.ok && listensOn(child.pid!, Number(port))) break;
    } catch {
      /* not listening yet, or slow to answer */
    }
    if (Date.now() > deadline) {
      // A process left running would keep Jest from exiting and hold the data directory.
      child.kill('SIGKILL');
      await exited;
      throw new Error(`firebreak did not become healthy:\n${logs.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    logs,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      // A server that does not stop within its drain time is killed: a test must not hang on it.
      const stuck = setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(stuck);
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Polls `probe` until it returns a value (not undefined), or fails with `what` after the timeout. */
export async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
