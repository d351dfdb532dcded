import { configOrExit, start, stopOnSignal } from '../main';
import { createLogger } from '../log';
import { readyBanner } from './banner';
import { startPlayground } from './playground';

/**
 * `npm start`. In local mode (no credentials): the service on the embedded store with the Graph and Google emulators
 * in-process, plus the Agents Playground pointed at it, and one short block saying where everything is.
 * In production mode it is the service alone, as `npm run serve`.
 */
async function main(): Promise<void> {
  const env = { LOG_LEVEL: 'warn', ...process.env };
  const config = configOrExit(env);
  const log = createLogger(config.logLevel);
  const app = await start(config, log);
  if (config.mode !== 'local') return stopOnSignal(log, app);

  const playground = await startPlayground({
    botEndpoint: `${app.url}/api/messages`,
    port: Number(process.env.PLAYGROUND_PORT ?? 56150),
    dataDir: config.dataDir,
  });
  process.env.PLAYGROUND_URL = playground.url; // linked from the sandbox page
  stopOnSignal(log, playground, app);
  process.stdout.write(`${readyBanner({ playgroundUrl: playground.url, sandboxUrl: `${app.url}/sandbox`, dataDir: config.dataDir })}\n`);
}

main().catch((err) => {
  process.stderr.write(`firebreak failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
