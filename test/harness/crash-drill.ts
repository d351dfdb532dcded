import type { Incident } from '../../src/domain/incident';
import type { GraphEmulator } from '../../src/sandbox/graph/server';
import { openStore } from '../../src/store/open';
import type { StoredEffect } from '../../src/store/store';
import { tableRows } from '../integration/google/setup';
import { channelMessage, post } from './activities';
import { eventually, startFirebreak, type RunningFirebreak } from './firebreak';
import { googleDeployment, type GoogleDeployment } from './google-deployment';
import { graphDeployment, TEAM } from './graph-deployment';

/**
 * A crash drill: the real server process, killed with SIGKILL at random moments while a burst of declarations and
 * notes arrives, restarted each time on the same database. The Bot Framework channel, Graph and Google live in this
 * process, so they outlive every kill and remember everything Firebreak did to them. What the channel does not hear
 * a 200 for, it delivers again (with the same activity id), as Teams does; some acknowledged ones are delivered again
 * too. At the end everything must have happened once: that is for the caller to assert, from the returned facts.
 */
export interface DrillOptions {
  /** `pglite:<dir>` or a PostgreSQL URL. */
  databaseUrl: string;
  declarations: number;
  notesEach: number;
  kills: number;
  /** How long after a restart the kill comes: uniformly in this range. */
  killAfterMs: [number, number];
  /**
   * Measure the worst case: the range counts from the first card this run of the process posts, so the kill lands
   * while cards are going out (restarts that post none are killed after the range anyway).
   */
  killWhilePosting?: boolean;
  /** SIGTERM: a graceful stop (the orchestrator's restart) instead of SIGKILL. */
  signal?: 'SIGKILL' | 'SIGTERM';
  log?: (line: string) => void;
}

export interface DrillFacts {
  kills: number;
  /** Messages sent, deliveries tried, and those acknowledged (HTTP 200). */
  sent: number;
  deliveries: number;
  /** Every incident in the store at the end, with its effects. */
  incidents: Incident[];
  effects: StoredEffect[];
  /** Each declaration title, with how many incidents carry it. */
  titles: Map<string, number>;
  /** Cards posted (not updates), by incident id and base conversation. */
  cards: Map<string, Map<string, number>>;
  /** Mails by effect key. */
  mails: Map<string, number>;
  /** Graph channels and meetings by incident id; Drive docs (not in the bin) by incident id. */
  channels: Map<string, number>;
  meetings: Map<string, number>;
  docs: Map<string, number>;
  /** Each doc's timeline entries (cell texts), by incident id. */
  timeline: Map<string, string[]>;
  /** Expected note texts, by declaration title. */
  notes: Map<string, string[]>;
  /** Replies to each command (by the command's activity id), and the ids of the commands acknowledged (HTTP 200). */
  replies: Map<string, number>;
  acknowledged: string[];
  /** Drive push channels open at the end, by doc id. */
  watches: Map<string, number>;
  /** Log lines of every run of the process. */
  logs: string[];
}

const APP_ID = '9d6c3f1e-1111-4222-8333-977777777777';
const PASSWORD = 'not-a-real-secret-crash-drill';

interface Message {
  activity: ReturnType<typeof channelMessage>;
  /** The declaration this note belongs to (it can be sent once that one is acknowledged). */
  after?: Message;
  acked: boolean;
  title?: string;
}

export async function crashDrill(opts: DrillOptions): Promise<DrillFacts> {
  const say = opts.log ?? (() => undefined);
  const deployment = await googleDeployment({ appId: APP_ID, password: PASSWORD, sandbox: { writesPerMinute: 600, pushDelayMs: 50 } });
  const graphSide = await graphDeployment({ appId: APP_ID, password: PASSWORD, tenantId: deployment.env.MICROSOFT_APP_TENANT_ID, mailTo: 'incidents@contoso.test' });
  const { graph } = graphSide;
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const env = {
    ...deployment.env,
    PORT: port,
    DATABASE_URL: opts.databaseUrl,
    GOOGLE_NOTIFY_URL: `http://127.0.0.1:${port}`,
    GOOGLE_DOCS_WRITES_PER_MINUTE: '600',
    TIMELINE_POLL_SECONDS: '1',
    TIMELINE_SETTLE_MS: '50',
    ...graphSide.env,
    EFFECT_RETRY_BASE_MS: '100',
    EFFECT_RETRY_CAP_MS: '1000',
    EFFECT_LEASE_SECONDS: process.env.CRASH_LEASE_SECONDS ?? '5',
    MAIL_WAIT_FOR_LINKS_SECONDS: '5',
    MAIL_SENT_COPY_WAIT_SECONDS: '0',
    LOG_LEVEL: 'info',
  };
  const channel = deployment.channel;
  const messages: Message[] = [];
  const notes = new Map<string, string[]>();
  for (let i = 1; i <= opts.declarations; i++) {
    const title = `Crash drill n${String(i).padStart(3, '0')} q`;
    const declaration: Message = { activity: channelMessage(`declare sev2 ${title}`, { serviceUrl: channel.serviceUrl }), acked: false, title };
    messages.push(declaration);
    notes.set(title, []);
    for (let j = 1; j <= opts.notesEach; j++) {
      const text = `drill note ${i} ${j} k`;
      notes.get(title)!.push(text);
      messages.push({ activity: channelMessage(`note ${text}`, { serviceUrl: channel.serviceUrl, thread: declaration.activity.id }), after: declaration, acked: false });
    }
  }
  const logs: string[] = [];
  let deliveries = 0;
  const deliver = async (server: RunningFirebreak, m: Message) => {
    deliveries++;
    try {
      const res = await post(server.url, m.activity, channel.signInbound({ serviceUrl: channel.serviceUrl }));
      if (res.status === 200) m.acked = true;
    } catch {
      /* the process died under it: delivered again later */
    }
  };
  const eligible = () => messages.filter((m) => !m.acked && (!m.after || m.after.acked));

  let server: RunningFirebreak | undefined;
  try {
    for (let round = 1; round <= opts.kills; round++) {
      const cardsBefore = channel.recorded.filter((r) => isCard(r.activity)).length;
      server = await startFirebreak(env);
      const killAt = opts.killAfterMs[0] + Math.random() * (opts.killAfterMs[1] - opts.killAfterMs[0]);
      let killed = false;
      const killing = (async () => {
        if (opts.killWhilePosting) {
          await eventually(() => (channel.recorded.filter((r) => isCard(r.activity)).length > cardsBefore ? true : undefined), 'a card', opts.killAfterMs[1]).catch(() => undefined);
        }
        await new Promise((r) => setTimeout(r, killAt));
        killed = true;
        await (opts.signal === 'SIGTERM' ? server!.stop() : server!.kill());
      })();
      // Three at a time, as a busy channel delivers; now and then an acknowledged one again (a re-delivery).
      const lanes = [0, 1, 2].map(async () => {
        while (!killed) {
          const acked = messages.filter((m) => m.acked);
          const next = eligible()[0] ?? (Math.random() < 0.3 ? acked[Math.floor(Math.random() * acked.length)] : undefined);
          if (!next) {
            await new Promise((r) => setTimeout(r, 20));
            continue;
          }
          await deliver(server!, next);
        }
      });
      await killing;
      await Promise.all(lanes);
      logs.push(...server.logs);
      say(`round ${round}: killed after ${Math.round(killAt)} ms; ${messages.filter((m) => m.acked).length}/${messages.length} acknowledged`);
    }
    server = await startFirebreak(env);
    for (let pass = 0; eligible().length; pass++) {
      await Promise.all(eligible().map((m) => deliver(server!, m)));
      if (pass > 20) throw new Error('messages were still refused after 20 passes');
    }
    await settled(deployment, graph, channel, notes, messages);
    await server.stop();
    logs.push(...server.logs);
    server = undefined;
    return await facts(opts, deployment, graph, notes, logs, messages, deliveries);
  } finally {
    await server?.kill();
    await graphSide.close();
    await deployment.close();
  }
}

const isCard = (activity: Record<string, any>) => activity.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive';
const base = (conversationId: string) => conversationId.split(';messageid=')[0];

/** Everything outside has caught up: each incident's cards, channel, bridge, doc with every note, and mail. */
async function settled(deployment: GoogleDeployment, graph: GraphEmulator, channel: GoogleDeployment['channel'], notes: Map<string, string[]>, messages: Message[]): Promise<void> {
  const declarations = messages.filter((m) => m.title);
  await eventually(
    () => {
      const cards = channel.recorded.filter((r) => r.op !== 'update' && isCard(r.activity));
      const inOrigin = declarations.every((d) => cards.some((c) => c.conversationId === d.activity.conversation.id));
      const channels = graph.channels(TEAM);
      const inChannels = channels.length >= declarations.length && channels.every((ch) => cards.some((c) => base(c.conversationId) === ch.id));
      const docs = deployment.google.files().filter((f) => f.appProperties.firebreakIncident && !f.trashed);
      const written = [...notes].every(([title, texts]) => {
        const doc = docs.find((f) => f.name.endsWith(` ${title}`));
        const entries = doc ? timelineEntries(deployment, doc.id) : [];
        return texts.every((t) => entries.some((e) => e.includes(t)));
      });
      const mailed = declarations.every((d) => graph.mailbox().some((m) => m.subject.endsWith(`: ${d.title}`)));
      // Each command's reply leaves after its answer (issue 15 item 1), written with the change: none is lost.
      const answered = messages.every((m) => channel.recorded.some((r) => r.activity.replyToId === m.activity.id && typeof r.activity.text === 'string'));
      return inOrigin && inChannels && written && mailed && answered && graph.meetings().length >= declarations.length ? true : undefined;
    },
    'every card, channel, bridge, doc row, mail and reply after the last restart',
    120_000,
  );
}

function timelineEntries(deployment: GoogleDeployment, docId: string): string[] {
  const doc = deployment.google.document(docId);
  const start = doc.namedRanges?.['firebreak.timeline']?.namedRanges[0].ranges[0].startIndex;
  return start === undefined ? [] : tableRows(doc, start).slice(1).map((r: string[]) => r[2]);
}

async function facts(opts: DrillOptions, deployment: GoogleDeployment, graph: GraphEmulator, notes: Map<string, string[]>, logs: string[], messages: Message[], deliveries: number): Promise<DrillFacts> {
  const store = await openStore(opts.databaseUrl);
  try {
    const incidents = await store.list({ limit: 10_000 });
    const effects = await store.effects();
    const count = <K>(keys: K[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<K, number>());
    const cards = new Map<string, Map<string, number>>();
    const channelOf = new Map(graph.channels(TEAM).map((c) => [c.id, /\[firebreak:([^\]]+)\]/.exec(c.description ?? '')?.[1]]));
    for (const r of deployment.channel.recorded.filter((x) => x.op !== 'update' && isCard(x.activity))) {
      // A card opening a thread in a channel is one per channel; a card sent into a thread is one per thread.
      const conversation = r.op === 'create' ? base(r.conversationId) : r.conversationId;
      const owner = channelOf.get(conversation) ?? incidents.find((i) => i.origin.id === r.conversationId)?.id ?? `unknown:${r.conversationId}`;
      const byPlace = cards.get(owner) ?? new Map<string, number>();
      byPlace.set(conversation, (byPlace.get(conversation) ?? 0) + 1);
      cards.set(owner, byPlace);
    }
    const docs = deployment.google.files().filter((f) => f.appProperties.firebreakIncident && !f.trashed);
    return {
      kills: opts.kills,
      sent: messages.length,
      deliveries,
      incidents,
      effects,
      titles: count(incidents.map((i) => i.title)),
      cards,
      mails: count(graph.mailbox().map((m) => m.headers['x-firebreak-key'])),
      channels: count([...channelOf.values()].map((id) => id ?? 'not ours')),
      meetings: count(graph.meetings().map((m) => m.externalId)),
      docs: count(docs.map((f) => f.appProperties.firebreakIncident)),
      timeline: new Map(docs.map((f) => [f.appProperties.firebreakIncident, timelineEntries(deployment, f.id)])),
      notes,
      replies: count(deployment.channel.recorded.filter((r) => r.activity.replyToId && typeof r.activity.text === 'string' && messages.some((m) => m.activity.id === r.activity.replyToId)).map((r) => r.activity.replyToId as string)),
      acknowledged: messages.filter((m) => m.acked).map((m) => m.activity.id),
      watches: count(deployment.google.channels().filter((c) => c.expiration > Date.now()).map((c) => c.fileId)),
      logs,
    };
  } finally {
    await store.close();
  }
}

/**
 * Effects that are timers set for later by design (an update falling due, a hand-off reminder, an overdue escalation):
 * pending at the end of a drill is their normal state, not work left undone.
 */
export const LATER_BY_DESIGN: readonly string[] = ['reminder.update', 'reminder.handoff', 'escalate.overdue', 'followup.remind', 'followup.digest', 'followup.planner-poll', 'page.timeout'];
