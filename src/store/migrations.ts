import type { Sql } from './sql';

/** One schema for both backends. Append new migrations; never edit a released one. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE SEQUENCE incident_number_seq;
  CREATE TABLE incidents (
    id          text PRIMARY KEY,
    number      integer NOT NULL UNIQUE,
    version     integer NOT NULL,
    status      text NOT NULL,
    state       jsonb NOT NULL,
    declared_at timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
  );
  CREATE TABLE events (
    seq         bigserial PRIMARY KEY,
    incident_id text NOT NULL REFERENCES incidents(id),
    version     integer NOT NULL,
    type        text NOT NULL,
    data        jsonb NOT NULL,
    at          timestamptz NOT NULL,
    UNIQUE (incident_id, version)
  );
  CREATE TABLE effects (
    id            bigserial PRIMARY KEY,
    key           text NOT NULL UNIQUE,
    kind          text NOT NULL,
    incident_id   text,
    payload       jsonb NOT NULL,
    not_before    timestamptz NOT NULL,
    attempts      integer NOT NULL DEFAULT 0,
    last_error    text,
    claimed_until timestamptz,
    done_at       timestamptz,
    outcome       text,
    created_at    timestamptz NOT NULL
  );
  CREATE INDEX effects_due ON effects (not_before, id) WHERE done_at IS NULL;
  CREATE TABLE inbound (
    key     text PRIMARY KEY,
    seen_at timestamptz NOT NULL
  );
  CREATE TABLE conversation_incidents (
    conversation_id text NOT NULL,
    incident_id     text NOT NULL REFERENCES incidents(id),
    PRIMARY KEY (conversation_id, incident_id)
  );
  `,
  // The doc timeline kept in step with the chat (issue 6): rows Firebreak wrote or accepted, by entry id, with the
  // text it last wrote (`pending` while a write is in flight), the doc revision last read, and Drive push channels.
  `
  CREATE TABLE timeline_rows (
    incident_id text NOT NULL REFERENCES incidents(id),
    key         text NOT NULL,
    text        text,
    pending     text,
    struck      boolean NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (incident_id, key)
  );
  CREATE TABLE timeline_docs (
    incident_id   text PRIMARY KEY REFERENCES incidents(id),
    doc_id        text NOT NULL,
    revision_id   text,
    updated_at    timestamptz NOT NULL
  );
  CREATE TABLE watch_channels (
    id          text PRIMARY KEY,
    incident_id text NOT NULL REFERENCES incidents(id),
    doc_id      text NOT NULL,
    resource_id text NOT NULL,
    token       text NOT NULL,
    expiration  timestamptz NOT NULL,
    stopped_at  timestamptz
  );
  CREATE INDEX watch_channels_incident ON watch_channels (incident_id) WHERE stopped_at IS NULL;
  `,
  // Exactly once through crashes and replicas (issue 13):
  // - an effect's lease is a token given at each claim: only its holder may complete, retry, fail or release it;
  // - incident numbers come from one row, counted up in the declaring transaction: a rollback or a crash gives the
  //   number back (a sequence is WAL-logged 32 ahead and never rolls back, so crashes and failed commits left gaps);
  // - one replica at a time may open a doc's Drive push channel (a claim that expires, in case its holder dies);
  // - token buckets that hold for the whole service, whatever the number of replicas (the Docs write quota).
  `
  ALTER TABLE effects ADD COLUMN lease text;
  CREATE TABLE incident_numbers (
    id   integer PRIMARY KEY CHECK (id = 1),
    last integer NOT NULL
  );
  INSERT INTO incident_numbers (id, last) SELECT 1, COALESCE(MAX(number), 0) FROM incidents;
  DROP SEQUENCE incident_number_seq;
  CREATE TABLE watch_claims (
    incident_id text PRIMARY KEY,
    holder      text NOT NULL,
    until       timestamptz NOT NULL
  );
  CREATE TABLE budgets (
    name        text PRIMARY KEY,
    tokens      double precision NOT NULL,
    refilled_at timestamptz NOT NULL
  );
  `,
  // The status page: only what was published to it (src/status/publish.ts writes it), never the incident's own state.
  `
  CREATE TABLE status_incidents (
    id            text PRIMARY KEY,
    incident_id   text NOT NULL UNIQUE REFERENCES incidents(id),
    name          text NOT NULL,
    status        text NOT NULL,
    impact        text NOT NULL,
    started_at    timestamptz NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    monitoring_at timestamptz,
    resolved_at   timestamptz
  );
  CREATE TABLE status_updates (
    id                 text PRIMARY KEY,
    status_incident_id text NOT NULL REFERENCES status_incidents(id),
    status             text NOT NULL,
    body               text NOT NULL,
    affected           jsonb NOT NULL,
    display_at         timestamptz NOT NULL,
    created_at         timestamptz NOT NULL
  );
  CREATE INDEX status_updates_incident ON status_updates (status_incident_id, display_at);
  CREATE TABLE status_components (
    id         text PRIMARY KEY,
    status     text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
  );
  `,
  // Status page subscribers (src/status/subscriptions.ts): double opt-in by mail, per component. An address is a row
  // only until it unsubscribes (then forgotten). Secrets are compared in constant time by their holder's id.
  `
  CREATE TABLE status_subscribers (
    id                 text PRIMARY KEY,
    email              text NOT NULL UNIQUE,
    components         jsonb NOT NULL DEFAULT '[]',
    confirmed_at       timestamptz,
    unsubscribe_secret text NOT NULL,
    pending_components jsonb,
    confirm_secret     text,
    confirm_expires_at timestamptz,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
  );
  `,
  // Paging (issue 17, src/store/paging-store.ts): pages and their events, with or without an incident. One slot per
  // service and incident (or none): a second page for it while one is open or within its window finds the first.
  `
  CREATE TABLE pages (
    id          text PRIMARY KEY,
    service     text NOT NULL,
    incident_id text,
    status      text NOT NULL,
    version     integer NOT NULL,
    state       jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
  );
  CREATE TABLE page_events (
    page_id text NOT NULL REFERENCES pages(id),
    version integer NOT NULL,
    type    text NOT NULL,
    data    jsonb NOT NULL,
    at      timestamptz NOT NULL,
    PRIMARY KEY (page_id, version)
  );
  CREATE TABLE page_slots (
    slot    text PRIMARY KEY,
    page_id text NOT NULL,
    until   timestamptz NOT NULL
  );
  `,
  // Monitoring alerts (issue 20): alert groups (src/alerts/store.ts), one row per group with its card, acknowledgement,
  // silence and incident; and where Firebreak was last addressed (local mode posts alert cards there).
  `
  CREATE TABLE alert_groups (
    key         text PRIMARY KEY,
    episode     integer NOT NULL,
    version     integer NOT NULL,
    status      text NOT NULL,
    state       jsonb NOT NULL,
    incident_id text,
    updated_at  timestamptz NOT NULL
  );
  CREATE INDEX alert_groups_incident ON alert_groups (incident_id) WHERE incident_id IS NOT NULL;
  CREATE TABLE alert_places (
    name         text PRIMARY KEY,
    conversation jsonb NOT NULL,
    updated_at   timestamptz NOT NULL
  );
  `,
  // Change detection within the Docs read quota (issue 15 item 5, src/store/doc-poll-store.ts): when each watched doc
  // was last polled by any replica and last seen changing. 'timeline' rows follow the incident's doc; other kinds are
  // docs something asked to have watched (with their own doc id and last revision), until a time or for good.
  `
  CREATE TABLE doc_polls (
    incident_id text NOT NULL,
    kind        text NOT NULL,
    doc_id      text,
    revision_id text,
    watched_at  timestamptz,
    until       timestamptz,
    changed_at  timestamptz,
    polled_at   timestamptz,
    PRIMARY KEY (incident_id, kind)
  );
  `,
  // Lookups by index (issue 15 item 7): the conversations each incident owns (rank 2: that exact chat or thread, its
  // origin, a card's thread, a place; rank 1: any thread of a channel of its own) and the Teams messages recorded on
  // its timeline, so a command or an edit finds its incident without loading every incident of the channel. A
  // superset of what src/teams/where.ts ranks (it decides on the incidents read). Filled for the incidents already
  // there; chr(59) is the `;` of `;messageid=` (a semicolon would split this script).
  `
  CREATE TABLE incident_threads (
    conversation_id text NOT NULL,
    rank            smallint NOT NULL,
    incident_id     text NOT NULL REFERENCES incidents(id),
    PRIMARY KEY (conversation_id, rank, incident_id)
  );
  CREATE TABLE recorded_messages (
    message_id  text NOT NULL,
    incident_id text NOT NULL REFERENCES incidents(id),
    PRIMARY KEY (message_id, incident_id)
  );
  INSERT INTO incident_threads (conversation_id, rank, incident_id)
  SELECT DISTINCT k.id, 2, i.id FROM incidents i, LATERAL (
    SELECT i.state->'origin'->>'id' AS id
    UNION SELECT c->>'postedIn' FROM jsonb_array_elements(COALESCE(i.state->'cards', '[]'::jsonb)) c
    UNION SELECT p->>'id' FROM jsonb_array_elements(COALESCE(i.state->'places', '[]'::jsonb)) p
  ) k WHERE k.id IS NOT NULL
  ON CONFLICT DO NOTHING;
  INSERT INTO incident_threads (conversation_id, rank, incident_id)
  SELECT DISTINCT split_part(p->>'id', chr(59) || 'messageid=', 1), 1, i.id
  FROM incidents i, jsonb_array_elements(COALESCE(i.state->'places', '[]'::jsonb)) p
  WHERE p->>'id' <> i.state->'origin'->>'id'
    AND NOT EXISTS (
      SELECT 1 FROM jsonb_array_elements_text(COALESCE(i.state->'announcedIn', '[]'::jsonb)) a
      WHERE split_part(a, chr(59) || 'messageid=', 1) = split_part(p->>'id', chr(59) || 'messageid=', 1))
  ON CONFLICT DO NOTHING;
  INSERT INTO recorded_messages (message_id, incident_id)
  SELECT m.key, i.id FROM incidents i, jsonb_each(COALESCE(i.state->'recorded', '{}'::jsonb)) m
  ON CONFLICT DO NOTHING
  `,
];

/**
 * A database migrated by a newer build: this build does not know its schema (a column renamed, a table split), so it
 * must not run on it. Migrations are forward-only: the way back is the newer build, or a backup from before it.
 */
export class SchemaTooNew extends Error {
  constructor(readonly database: number, readonly build: number) {
    super(
      `the database's schema is at version ${database}, but this build of Firebreak knows versions up to ${build}: ` +
        'a newer Firebreak migrated it. Run that version or a newer one (migrations only go forward; going back needs a backup from before the upgrade).',
    );
    this.name = 'SchemaTooNew';
  }
}

/**
 * Applies pending migrations in one transaction, serialised across replicas by an advisory lock; a schema_migrations
 * row is the version (the migration's position in MIGRATIONS, from 1). A database ahead of this build is refused
 * before anything is written.
 */
export async function migrate(sql: Sql): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7242001)');
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)');
    const rows = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => Number(r.version)));
    const newest = Math.max(0, ...applied);
    if (newest > MIGRATIONS.length) throw new SchemaTooNew(newest, MIGRATIONS.length);
    for (let i = 0; i < MIGRATIONS.length; i++) {
      if (applied.has(i + 1)) continue;
      for (const statement of splitStatements(MIGRATIONS[i])) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())', [i + 1]);
    }
  });
}

/** Extended-protocol queries take one statement each; the migrations hold no semicolons inside literals. */
function splitStatements(script: string): string[] {
  return script
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}
