import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { startBotChannel, type BotChannel, type Recorded } from '../../src/sandbox/botframework';
import { ALICE, BOB, channelMessage, invoke, post, readable, TENANT } from '../harness/activities';
import { eventually, startFirebreak, type RunningFirebreak } from '../harness/firebreak';
import { adaptiveCardErrors } from '../harness/schemas';

/**
 * Finding incidents again, end to end through the real server (production mode, local Bot Framework channel):
 * the declare dialog's answer (issue 14 item 9), `incidents` and "Show card here" (item 4), and the same
 * declaration twice (item 3).
 */
const APP_ID = '3f0c6a55-7777-4333-8444-955555555555';
const ANNOUNCEMENTS = '19:find-announcements@thread.tacv2';
const TEAM = '19:team@thread.tacv2';

let channel: BotChannel;
let firebreak: RunningFirebreak;
const databaseDir = `${tmpdir()}/firebreak-find-${randomUUID()}`;

beforeAll(async () => {
  channel = await startBotChannel({ appId: APP_ID, appPassword: 'find-e2e-secret', tenantId: TENANT });
  channel.setMembers(TEAM, [ALICE, BOB]);
  firebreak = await startFirebreak({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'find-e2e-secret',
    MICROSOFT_APP_TENANT_ID: TENANT,
    BOT_OPENID_METADATA_URL: channel.openIdMetadataUrl,
    BOT_LOGIN_URL: channel.loginUrl,
    DATABASE_URL: `pglite:${databaseDir}`,
    ANNOUNCEMENTS_CHANNEL_ID: ANNOUNCEMENTS,
  });
}, 60_000);

afterAll(async () => {
  try {
    await firebreak?.stop();
  } finally {
    await channel?.close();
  }
});

const opts = (extra: { thread?: string; from?: typeof ALICE; channel?: string } = {}) => ({ serviceUrl: channel.serviceUrl, ...extra });
const send = async (activity: object) => {
  const res = await post(firebreak.url, activity, channel.signInbound({ serviceUrl: channel.serviceUrl }));
  expect(res.status).toBe(200);
  return res.body as any;
};
const cards = (records: Recorded[]) => records.filter((r) => r.activity.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive');
const repliesIn = (conversationId: string) => channel.recorded.filter((r) => r.conversationId === conversationId && r.op !== 'update');
/** A unique title, so tests running in any order never look alike to the similarity check. */
const uniqueTitle = (what: string) => `${what} ${randomUUID().slice(0, 8)}`;

/** Submits the message extension's declare form in a new thread of the ops channel. */
async function submitForm(values: Record<string, string>, from = ALICE) {
  const data = { formId: randomUUID(), description: '', severity: '2', customerImpact: 'false', commander: from.id, private: 'false', ...values };
  const submit = invoke('composeExtension/submitAction', { commandId: 'declareIncident', commandContext: 'compose', data }, opts({ thread: `t-${randomUUID()}`, from }));
  return { submit, answer: await send(submit) };
}

async function declareByForm(title: string, values: Record<string, string> = {}) {
  const { submit, answer } = await submitForm({ title, ...values });
  const number = Number(/^Declared INC-(\d+) — /.exec(answer?.task?.value ?? '')?.[1]);
  if (!number) throw new Error(`not declared: ${JSON.stringify(answer)}`);
  const card = await eventually(() => cards(channel.recorded).find((r) => r.conversationId === submit.conversation.id), `the card of INC-${number}`);
  return { number, thread: submit.conversation.id, incidentId: card.activity.attachments[0].content.refresh.action.data.incidentId as string };
}

describe('item 9: the declare dialog answers and closes', () => {
  test('a submitted form closes with "Declared INC-n — card posted in …"', async () => {
    const { answer } = await submitForm({ title: uniqueTitle('Search results empty') });
    // A task "message" response: Teams closes the form and shows this text in its place.
    expect(answer).toEqual({ task: { type: 'message', value: expect.stringMatching(/^Declared INC-\d+ — card posted in this channel and in the announcements channel\./) } });
  });

  test('a refused form is shown again with the reason and the values kept', async () => {
    const title = 'x'.repeat(400);
    const { answer } = await submitForm({ title, description: 'kept' });
    expect(answer.task.type).toBe('continue');
    const form = answer.task.value.card.content;
    expect(adaptiveCardErrors(form)).toEqual([]);
    expect(JSON.stringify(form)).toMatch(/The title is 400 characters/);
    expect(form.body.find((e: any) => e.id === 'description').value).toBe('kept');
  });
});
