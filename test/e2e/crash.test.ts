import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crashDrill, LATER_BY_DESIGN, type DrillFacts } from '../harness/crash-drill';
import { backends, freshPostgresUrl } from '../harness/databases';

/**
 * Exactly once through crashes (issue 13, items 12 to 15): the real server process is killed (SIGKILL) several times
 * during a burst of declarations and notes, on each store. Whatever was acknowledged exists once; no incident
 * number is skipped; no channel, bridge or doc is made twice; no timeline row is lost or doubled. Cards and mails
 * may repeat only within the residual rate docs/reliability.md measures (a kill inside the Bot Connector's round
 * trip; none for mail while Mail.Read lets Firebreak look in Sent Items).
 */
const KILLS = Number(process.env.CRASH_KILLS ?? 3);
const DECLARATIONS = Number(process.env.CRASH_DECLARATIONS ?? 6);
const NOTES = Number(process.env.CRASH_NOTES ?? 2);
const KILL_AFTER_MS = (process.env.CRASH_KILL_AFTER_MS ?? '1000,4000').split(',').map(Number) as [number, number];

describe.each(backends())('kill -9 during a burst, on $name', ({ name, available }) => {
  if (!available) {
    test.todo(`PostgreSQL is not available on this machine: the ${name} half is skipped`);
    return;
  }
  let facts: DrillFacts;
  const dir = path.join(tmpdir(), `firebreak-crash-${randomUUID()}`);
  beforeAll(async () => {
    const databaseUrl = name === 'pglite' ? `pglite:${dir}` : await freshPostgresUrl();
    facts = await crashDrill({ databaseUrl, declarations: DECLARATIONS, notesEach: NOTES, kills: KILLS, killAfterMs: KILL_AFTER_MS, killWhilePosting: Boolean(process.env.CRASH_KILL_WHILE_POSTING), log: (line) => process.stdout.write(`[crash ${name}] ${line}\n`) });
    process.stdout.write(`[crash ${name}] ${JSON.stringify(summary(facts))}\n`);
    if (process.env.CRASH_DUMP) writeFileSync(`${process.env.CRASH_DUMP}-${name}.log`, facts.logs.join('\n'));
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('every acknowledged declaration exists once, numbered without a gap', () => {
    expect([...facts.titles.keys()].sort()).toEqual([...facts.notes.keys()].sort());
    expect([...facts.titles.values()].every((n) => n === 1)).toBe(true);
    expect(facts.incidents.map((i) => i.number).sort((a, b) => a - b)).toEqual(Array.from({ length: DECLARATIONS }, (_, i) => i + 1));
  });

  test('no channel, bridge or doc is made twice', () => {
    const ids = facts.incidents.map((i) => i.id).sort();
    for (const made of [facts.channels, facts.meetings, facts.docs]) {
      expect([...made.keys()].sort()).toEqual(ids);
      expect([...made.values()].every((n) => n === 1)).toBe(true);
    }
  });

  test('no timeline row is lost or doubled', () => {
    for (const incident of facts.incidents) {
      const entries = facts.timeline.get(incident.id) ?? [];
      for (const note of facts.notes.get(incident.title)!) expect(entries.filter((e) => e.includes(note))).toHaveLength(1);
      expect(entries.filter((e) => e.startsWith('Declared'))).toHaveLength(1);
    }
  });

  test('every acknowledged command is answered, whichever process sent the reply', () => {
    expect(facts.acknowledged.filter((id) => !facts.replies.get(id))).toEqual([]);
  });

  test('every effect ran to its end, none given up', () => {
    // Timers wait for their time (the update reminder; the hand-off reminder and the overdue escalation: issue 17/18).
    const open = facts.effects.filter((e) => !LATER_BY_DESIGN.includes(e.kind) && e.outcome !== 'done');
    expect(open.map((e) => `${e.key} ${e.outcome ?? 'pending'} ${e.lastError ?? ''}`)).toEqual([]);
  });

  test('cards and mails repeat no more than the residual rate', () => {
    const { cardRepeats, mailRepeats } = summary(facts);
    // docs/reliability.md: a card repeats only when an attempt is cut off inside the post's round trip (a kill, or a
    // timeout), and each such attempt is logged; a mail never repeats while Firebreak may read Sent Items.
    expect(cardRepeats).toBeLessThanOrEqual(interruptedPosts(facts));
    expect(mailRepeats).toBe(0);
    for (const incident of facts.incidents) expect(facts.cards.get(incident.id)?.size).toBe(2); // its thread and its channel
  });
});

function summary(facts: DrillFacts) {
  const repeats = (counts: Iterable<number>) => [...counts].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  return {
    kills: facts.kills,
    sent: facts.sent,
    deliveries: facts.deliveries,
    incidents: facts.incidents.length,
    cardRepeats: repeats([...facts.cards.values()].flatMap((m) => [...m.values()])),
    mailRepeats: repeats(facts.mails.values()),
    interruptedPosts: interruptedPosts(facts),
    watchRepeats: repeats(facts.watches.values()),
    timedOut: facts.logs.filter((l) => l.includes('took longer than')).length,
    repeatedCards: [...facts.cards].flatMap(([id, m]) => [...m].filter(([, n]) => n > 1).map(([c, n]) => `${id.slice(0, 8)} ${c.slice(0, 40)} x${n}`)),
  };
}

const interruptedPosts = (facts: DrillFacts) => facts.logs.filter((l) => l.includes('a card post was interrupted')).length;
