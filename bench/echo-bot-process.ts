import { spawn } from 'node:child_process';
import path from 'node:path';

export interface RunningEchoBot {
  url: string;
  pid: number;
  logs: string[];
  /** SIGKILL and wait for the exit: nothing of the echo bot needs finishing. */
  stop(): Promise<void>;
}

export interface EchoBotOptions {
  appId: string;
  appPassword: string;
  tenantId: string;
  /** The Bot Framework channel's (src/sandbox/botframework.ts): where inbound keys are published, outbound tokens issued. */
  openIdMetadataUrl: string;
  loginUrl: string;
}

const SCRIPT = path.resolve(__dirname, 'echo-bot.mjs');

/**
 * Starts bench/echo-bot.mjs under plain node, as its own process, and waits until it listens. The caller stops it in a
 * `finally`; if the caller dies first, the echo bot's stdin closes and it exits by itself.
 */
export async function startEchoBot(opts: EchoBotOptions): Promise<RunningEchoBot> {
  const child = spawn(process.execPath, ['--no-deprecation', SCRIPT], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      MICROSOFT_APP_ID: opts.appId,
      MICROSOFT_APP_PASSWORD: opts.appPassword,
      MICROSOFT_APP_TENANT_ID: opts.tenantId,
      BOT_OPENID_METADATA_URL: opts.openIdMetadataUrl,
      BOT_LOGIN_URL: opts.loginUrl,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const port = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the echo bot did not listen within 30 s:\n${logs.join('\n')}`)), 30_000);
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        logs.push(line);
        const listening = /^\{"listening":(\d+)\}$/.exec(line)?.[1];
        if (listening) {
          clearTimeout(timer);
          resolve(Number(listening));
        }
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the echo bot exited (${code ?? signal}) before listening:\n${logs.join('\n')}`));
    });
  });
  try {
    return { url: `http://127.0.0.1:${await port}`, pid: child.pid!, logs, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
