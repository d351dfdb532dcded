import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crashDrill, LATER_BY_DESIGN, type DrillFacts } from '../harness/crash-drill';

/**
 * Issue 19 item 10: a restart during a burst loses nothing. The crash drill (test/e2e/crash.test.ts) with SIGTERM
 * instead of SIGKILL, on the embedded store: each stop turns /readyz to 503, stops taking work, lets effects under
 * way finish or hands them back, and exits cleanly before its deadline; the next process finishes everything.
 */
const DECLARATIONS = 3;
let facts: DrillFacts;
const dir = path.join(tmpdir(), `firebreak-restart-${randomUUID()}`);

beforeAll(async () => {
  facts = await crashDrill({ databaseUrl: `pglite:${dir}`, declarations: DECLARATIONS, notesEach: 1, kills: 1, killAfterMs: [1000, 3000], signal: 'SIGTERM', log: (line) => process.stdout.write(`[restart] ${line}\n`) });
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('every stop was graceful: it said so, and none ran past its deadline', () => {
  const lines = facts.logs.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; signal?: string });
  expect(lines.filter((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM').length).toBe(facts.kills + 1);
  expect(lines.filter((l) => l.msg === 'stopped').length).toBe(facts.kills + 1);
  expect(lines.filter((l) => l.msg.startsWith('shutdown did not finish in time'))).toEqual([]);
});

test('every acknowledged declaration exists once, and every effect ran to its end', () => {
  expect([...facts.titles.values()].every((n) => n === 1)).toBe(true);
  expect(facts.incidents.map((i) => i.number).sort((a, b) => a - b)).toEqual(Array.from({ length: DECLARATIONS }, (_, i) => i + 1));
  const open = facts.effects.filter((e) => !LATER_BY_DESIGN.includes(e.kind) && e.outcome !== 'done');
  expect(open.map((e) => `${e.key} ${e.outcome ?? 'pending'} ${e.lastError ?? ''}`)).toEqual([]);
});

test('every command is answered once, its reply sent after its answer by whichever process could', () => {
  expect(facts.acknowledged).toHaveLength(facts.sent);
  expect(facts.acknowledged.filter((id) => facts.replies.get(id) !== 1)).toEqual([]);
});

test('nothing is lost or made twice: channels, bridges, docs, timeline rows', () => {
  const ids = facts.incidents.map((i) => i.id).sort();
  for (const made of [facts.channels, facts.meetings, facts.docs]) {
    expect([...made.keys()].sort()).toEqual(ids);
    expect([...made.values()].every((n) => n === 1)).toBe(true);
  }
  for (const incident of facts.incidents) {
    const entries = facts.timeline.get(incident.id) ?? [];
    for (const note of facts.notes.get(incident.title)!) expect(entries.filter((e) => e.includes(note))).toHaveLength(1);
  }
  expect([...facts.mails.values()].every((n) => n === 1)).toBe(true);
});
