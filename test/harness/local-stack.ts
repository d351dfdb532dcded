import { spawn } from 'node:child_process';
import path from 'node:path';
import { tempDataDir } from './browser';
import { clockEnv } from './clock';

export interface LocalStack {
  firebreakUrl: string;
  playgroundUrl: string;
  sandboxUrl: string;
  output: string[];
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');

/** Runs `npm start`'s entry point exactly as a newcomer would, on free ports, and reads the block it prints. */
export async function startLocalStack(): Promise<LocalStack> {
  const port = 20000 + Math.floor(Math.random() * 15000);
  const child = spawn(process.execPath, ['--no-deprecation', '--import', 'tsx', 'src/local/start.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...clockEnv(), PORT: String(port), GOOGLE_SANDBOX_PORT: String(port + 1), PLAYGROUND_PORT: String(port + 2), FIREBREAK_DATA_DIR: tempDataDir() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const block = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no ready block in 90 s:\n${output.join('')}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString('utf8'));
      const all = output.join('');
      if (all.includes('Stop  Ctrl+C')) {
        clearTimeout(timer);
        resolve(all);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output.join('')}`)));
  });
  const find = (label: string) => new RegExp(`${label}\\s+(http\\S+)`).exec(block)?.[1] ?? '';
  return {
    firebreakUrl: `http://127.0.0.1:${port}`,
    playgroundUrl: find('Teams \\(Agents Playground\\)'),
    sandboxUrl: find('Sandbox \\(doc, channel, bridge, mail\\)'),
    output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}
