import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { channelMessage, post } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { googleDeployment, type GoogleDeployment } from '../harness/google-deployment';

/**
 * GOOGLE_DOCS_WRITES_PER_MINUTE reaches every Docs write of the real server process (main.ts hands the one budget
 * to the Google clients): at 6 a minute the budget holds one write and makes one more every 10 s, so no two of
 * the service's writes to the Google sandbox come closer than that. Unpaced, the doc's fill and its first
 * timeline row go out within moments of each other. GOOGLE_DOCS_READS_PER_MINUTE paces every Docs read the same way
 * (each write reads the doc first, and the watcher polls it): at 12 a minute, one every 5 s.
 */
let deployment: GoogleDeployment;
let firebreak: RunningFirebreak;

beforeAll(async () => {
  deployment = await googleDeployment({ appId: '9d6c3f1e-1111-4222-8333-966666666666', password: 'not-a-real-secret-e2e-budget' });
  firebreak = await startFirebreak({
    ...deployment.env,
    DATABASE_URL: `pglite:${path.join(tmpdir(), `firebreak-e2e-budget-${randomUUID()}`)}`,
    GOOGLE_DOCS_WRITES_PER_MINUTE: '6',
    GOOGLE_DOCS_READS_PER_MINUTE: '12',
  });
}, 60_000);

afterAll(async () => {
  await firebreak?.stop();
  await deployment?.close();
});

test('at GOOGLE_DOCS_WRITES_PER_MINUTE=6 the service writes to Docs at most once every 10 s, and at READS=12 reads at most once every 5 s', async () => {
  const { channel, google } = deployment;
  const since = Date.now();
  const activity = channelMessage('declare sev2 Paced writes', { serviceUrl: channel.serviceUrl });
  expect((await post(firebreak.url, activity, channel.signInbound({ serviceUrl: channel.serviceUrl }))).status).toBe(200);
  const writes = () => google.calls.filter((c) => c.method === 'docs.documents.batchUpdate' && c.at >= since);
  // The fill, then the declaration's timeline row.
  await eventually(() => (writes().filter((c) => c.status === 200).length >= 2 ? true : undefined), 'two Docs writes', 40_000);
  const at = writes().map((c) => c.at);
  const gaps = at.slice(1).map((t, i) => t - at[i]);
  // A timer never fires early; 0.5 s spare for the two processes' clocks.
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(9_500);
  const reads = google.calls.filter((c) => c.method === 'docs.documents.get' && c.at >= since).map((c) => c.at);
  expect(reads.length).toBeGreaterThanOrEqual(2);
  expect(Math.min(...reads.slice(1).map((t, i) => t - reads[i]))).toBeGreaterThanOrEqual(4_500);
}, 60_000);
