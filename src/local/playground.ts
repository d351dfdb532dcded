import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The Microsoft 365 Agents Playground (a dev dependency): a Teams-like web UI with chats, a team with channels,
 * message extensions and a mocked Bot Connector, pointed at the bot. Runs offline: its telemetry and the Azure
 * metadata probe are switched off, and it is told not to open a browser. Its tenant (users, team, channels) is
 * src/local/playground.yml.
 */
export interface Playground {
  url: string;
  stop(): Promise<void>;
}

export function playgroundCli(): string | undefined {
  try {
    const cli = path.join(path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
    return existsSync(cli) ? cli : undefined;
  } catch {
    return undefined;
  }
}

export async function startPlayground(opts: { botEndpoint: string; port: number; dataDir: string }): Promise<Playground> {
  const cli = playgroundCli();
  if (!cli) throw new Error('the Agents Playground is not installed (it is a dev dependency: run npm ci without --omit=dev)');
  const workDir = path.join(opts.dataDir, 'playground');
  mkdirSync(workDir, { recursive: true });
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, 'start', '-e', opts.botEndpoint, '-c', 'msteams', '-p', String(opts.port), '--disable-telemetry'],
    {
      cwd: workDir, // it writes ./devTools; keep that out of the repository
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        M365_AGENTS_PLAYGROUND_LOGFILE: path.join(workDir, 'playground.log'),
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: path.join(__dirname, 'playground.yml'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the Playground did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // It prints only "Listening on <port>" when stdout is not a terminal (and picks another port if that one is busy).
      const m = /Listening on (\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the Playground exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://localhost:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}
