import { createIncidents } from '../../../src/app/incidents';
import { createDocTimeline } from '../../../src/google/timeline-sync';
import { createLogger } from '../../../src/log';
import type { ClaimedEffect } from '../../../src/store/store';
import { timelineSync } from '../../../src/workers/effects/timeline-sync';
import { createDocPace } from '../../../src/workers/timeline/pace';
import { createWatcher } from '../../../src/workers/timeline/watcher';
import { declareCommand, jo, sam } from '../../domain/fixtures';
import { eventually } from '../../harness/firebreak';
import { FAST, incident, worldAndStore } from './setup';

/**
 * Two replicas: one rewrites a row of the doc's timeline (a Teams message was edited, now too long for a row: the doc
 * gets it cut), and the other's watcher reads the doc while that write has landed but its answer has not come back.
 * The text being written was recorded as pending before the write went out, so the other replica takes the row as
 * Firebreak's own. Were it not, the cut row would read as a person's edit and replace the message's full text.
 */
const opened = worldAndStore();

test("a row being rewritten, read by another replica before the writer hears back, is not taken for a person's edit", async () => {
  const { world, store } = opened();
  const doc = await world.docs.create(incident(90));
  const now = () => new Date();
  const incidents = createIncidents(store);
  const log = createLogger('error', () => undefined);
  const timeline = createDocTimeline(world.clients, FAST);
  const id = 'tl-pending-1';
  const { number, ...declare } = declareCommand({ incidentId: id, provisioning: ['doc'], at: now().toISOString() });
  void number;
  await incidents.declare(declare);
  await incidents.run(id, { type: 'RecordResourceReady', resource: 'doc', url: doc.url, label: 'INC-1 doc', at: now().toISOString(), by: sam });
  await incidents.run(id, { type: 'RecordMessage', messageId: 'm1', text: 'Lag is 40 s', author: jo, sentAt: now().toISOString(), at: now().toISOString(), by: jo });
  const sync = timelineSync({ store, incidents, timeline, pace: createDocPace(0), maxChars: 120, now });
  const effect = { incidentId: id } as ClaimedEffect;
  const signal = new AbortController().signal;
  await sync(effect, signal);
  const row = [...(await store.timeline.rows(id)).values()].find((r) => r.text === 'Lag is 40 s');
  expect(row).toBeDefined();

  // The message is edited in Teams: the row is rewritten. While that write is in flight, the other replica looks.
  const edited = `Lag is 4 s now that the replica caught up; ${'the details of what was seen on each host follow. '.repeat(5)}`;
  await incidents.run(id, { type: 'EditRecordedMessage', messageId: 'm1', text: edited, at: now().toISOString(), by: jo });
  const other = createWatcher({ store, incidents, timeline: createDocTimeline(world.clients, FAST), pace: createDocPace(0), log, now, pollMs: 60_000, settleMs: 0 });
  other.start();
  let readDuringWrite = false;
  world.sandbox.fault({
    match: 'docs.documents.batchUpdate',
    times: 1,
    after: async () => {
      const written = world.sandbox.document(doc.id).revisionId;
      await other.tick();
      await eventually(async () => ((await store.timeline.revision(id)) === written ? true : undefined), "the other replica's read of the written revision");
      readDuringWrite = true;
    },
  });
  await sync(effect, signal);
  await other.stop();

  expect(readDuringWrite).toBe(true);
  expect((await store.events(id)).map((e) => e.event.type)).not.toContain('DocRowEdited');
  const written = (await store.timeline.rows(id)).get(row!.key)!;
  expect(written.text).toMatch(/^Lag is 4 s now .*\[cut; full text in Firebreak\]$/);
  expect(written.pending).toBeNull();
  expect((await store.load(id))!.docTexts?.[row!.key]).toBeUndefined(); // the entry keeps the message's full text
});

test("a message edited again while a rewrite landed unanswered: the retry's read by another replica finds Firebreak's own row, and the doc ends with the last text", async () => {
  const { world, store } = opened();
  const doc = await world.docs.create(incident(91));
  const now = () => new Date();
  const incidents = createIncidents(store);
  const log = createLogger('error', () => undefined);
  const id = 'tl-pending-2';
  const { number, ...declare } = declareCommand({ incidentId: id, provisioning: ['doc'], at: now().toISOString() });
  void number;
  await incidents.declare(declare);
  await incidents.run(id, { type: 'RecordResourceReady', resource: 'doc', url: doc.url, label: 'INC-1 doc', at: now().toISOString(), by: sam });
  await incidents.run(id, { type: 'RecordMessage', messageId: 'm1', text: 'Lag is 40 s', author: jo, sentAt: now().toISOString(), at: now().toISOString(), by: jo });
  const sync = timelineSync({ store, incidents, timeline: createDocTimeline(world.clients, FAST), pace: createDocPace(0), maxChars: 120, now });
  const effect = { incidentId: id } as ClaimedEffect;
  const signal = new AbortController().signal;
  await sync(effect, signal);
  const key = [...(await store.timeline.rows(id)).values()].find((r) => r.text === 'Lag is 40 s')!.key;

  // Edited to "Lag is 4 s": the rewrite lands, its answer is lost. While it was out the message was edited again, and
  // the retry (re-read, re-planned) is read by another replica's watcher before it lands.
  const other = createWatcher({ store, incidents, timeline: createDocTimeline(world.clients, FAST), pace: createDocPace(0), log, now, pollMs: 60_000, settleMs: 0 });
  other.start();
  await incidents.run(id, { type: 'EditRecordedMessage', messageId: 'm1', text: 'Lag is 4 s', at: now().toISOString(), by: jo });
  let retryRead = false;
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  world.sandbox.fault({
    match: 'docs.documents.batchUpdate',
    times: 1,
    drop: 'after',
    after: async () => {
      await incidents.run(id, { type: 'EditRecordedMessage', messageId: 'm1', text: 'Lag is 0 s: caught up', at: now().toISOString(), by: jo });
      world.sandbox.fault({
        match: 'docs.documents.batchUpdate',
        times: 1,
        before: () => {
          const seen = world.sandbox.document(doc.id).revisionId;
          void (async () => {
            await other.tick();
            await eventually(async () => ((await store.timeline.revision(id)) === seen ? true : undefined), "the other replica's read before the retry lands");
            retryRead = true;
          })().finally(release);
        },
        hold: held,
      });
    },
  });
  await sync(effect, signal);
  await other.stop();

  expect(retryRead).toBe(true);
  expect((await store.events(id)).map((e) => e.event.type)).not.toContain('DocRowEdited');
  expect((await store.load(id))!.docTexts?.[key]).toBeUndefined();
  const d = world.sandbox.document(doc.id);
  expect(JSON.stringify(d.body)).toContain('Lag is 0 s: caught up');
  expect((await store.timeline.rows(id)).get(key)).toMatchObject({ text: 'Lag is 0 s: caught up', pending: null });
});
