import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clockEnv } from './clock';

export interface RunningFirebreak {
  url: string;
  /** The server process's id (the memory bench reads its /proc status). */
  pid: number;
  logs: string[];
  stop(): Promise<void>;
  /** SIGKILL: a crash, nothing finished or flushed. */
  kill(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');

/**
 * How the server is started: the build the global setup made (`dist/main.js`, what production runs), else the
 * sources through tsx (a test file run without the global setup).
 */
const SERVER = process.env.FIREBREAK_TEST_DIST ? [process.env.FIREBREAK_TEST_DIST] : ['--import', 'tsx', 'src/main.ts'];

/**
 * A port for a server when the test names none: below Linux's ephemeral range (32768-60999), so no outbound connection
 * of this or another test can hold it; two workers picking the same one is met by trying another (CI once lost a run
 * to a pick at 37052 that a client socket held).
 */
function pickPort(): string {
  return String(20000 + Math.floor(Math.random() * 12000));
}

/** Starts the real server process (`src/main.ts`, built) with the given environment and waits for /healthz. */
export async function startFirebreak(env: Record<string, string>): Promise<RunningFirebreak> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce({ PORT: pickPort(), ...env });
    } catch (err) {
      if (env.PORT !== undefined || attempt >= 5 || !(err instanceof PortTaken)) throw err;
    }
  }
}

class PortTaken extends Error {}

async function startOnce(env: Record<string, string>): Promise<RunningFirebreak> {
  const port = env.PORT;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'firebreak-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['--no-deprecation', ...SERVER], {
    cwd: ROOT,
    // Tests declare the same titles over and over in one team: the "Looks like INC-7" check is off unless a test asks for it.
    env: { PATH: process.env.PATH, ...clockEnv(), FIREBREAK_DATA_DIR: dataDir, LOG_LEVEL: 'debug', SIMILAR_DECLARATION_MINUTES: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const collect = (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  // Generous: on a loaded 2-core machine tsx and PGlite can take tens of seconds; the hooks allow 60 s.
  const deadline = Date.now() + 50_000;
  for (;;) {
    if (child.exitCode !== null) {
      await exited;
      const said = logs.join('\n');
      // The server's port or one it derives from it (the local Google sandbox, the status page) was taken.
      if (said.includes('EADDRINUSE')) throw new PortTaken(`a port near ${port} is taken`);
      throw new Error(`firebreak exited with ${child.exitCode}:\n${said}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
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
      await exited;
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
