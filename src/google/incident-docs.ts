import type { Incident, NotShared, Person } from '../domain/incident';
import { incidentLabel } from '../domain/messages';
import { OutsideError } from '../outside-error';
import { withSignal, type GoogleClients } from './clients';
import { planFill } from './fill';
import { lockedWrite } from './locked-write';
import { placeholderValues } from './placeholders';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry';
import { KIND } from './template';
import { findTimeline, missingRows, planRows, type TimelineRow } from './timeline';

/**
 * The incident doc in Google Docs: what the effect workers need, nothing more.
 * @example
 *   const doc = await docs.create(incident);       // copy of the template, filled, shared: { id, url, unshared: [] }
 *   await docs.fill(laterIncident);                 // the bridge link arrived: its placeholder gets filled
 *   // A private incident's people the doc could not be shared with: [{ person, reason: 'no-google-account' }]
 *   await docs.appendTimeline(doc.id, [{ key: 'e7', time: '00:02', who: 'Jo', entry: 'Rolled back' }]);
 */
export interface IncidentDocs {
  /**
   * Finds the incident's doc or copies the template (never twice), then fills and shares it (side by side, beside the
   * check for duplicates). `latest` is asked for the incident once the copy exists (for the sharing) and again once
   * it has been read (for the fill), so links that arrived meanwhile (the channel, the bridge) are in the one fill.
   */
  create(incident: Incident, signal?: AbortSignal, latest?: () => Promise<Incident>): Promise<SharedDoc & MadeFor>;
  find(incidentId: string, signal?: AbortSignal): Promise<DocLink | undefined>;
  /**
   * Brings the doc's placeholders up to date with the incident (and a private one's sharing); undefined when it has no
   * doc. The doc recorded on the incident is used when there is one; else it is looked for in Drive.
   */
  fill(incident: Incident, signal?: AbortSignal): Promise<SharedDoc | undefined>;
  /** Appends the rows not yet in the timeline table, in one revision-locked write. */
  appendTimeline(docId: string, rows: TimelineRow[], signal?: AbortSignal): Promise<{ written: number }>;
}

export interface DocLink {
  id: string;
  url: string;
}

/** The doc, and the people of a private incident it could not be shared with (always empty for other incidents). */
export interface SharedDoc extends DocLink {
  unshared: NotShared[];
}

/** The incident as it was when the doc's fields were filled from it, and when the doc was shared. */
export interface MadeFor {
  filled: Incident;
  shared: Incident;
}

export interface ShareConfig {
  /** Everyone in this Workspace domain who has the link (not searchable). */
  domain?: string;
  groups: string[];
  role: 'writer' | 'commenter';
}

export interface IncidentDocsOptions {
  clients: GoogleClients;
  templateId: string;
  /** A folder or shared drive id for the docs of incidents that are not private; the acting user's My Drive when unset. */
  folderId?: string;
  share: ShareConfig;
  retry?: RetryPolicy;
}

/** appProperties key carrying the incident id: the create effect's idempotency key, searchable with `q`. */
export const INCIDENT = 'firebreakIncident';

/**
 * Drive's alias for the acting user's own My Drive folder, where a private incident's doc is made. "Every user who
 * has access to a folder also has access to all items inside the folder ... in both My Drive and shared drives"
 * (Drive API, "Manage folders with limited and expansive access"): a doc in the shared drive or a shared folder
 * would be readable by all its members whatever the doc's own permissions say. In the acting user's My Drive
 * nobody but that (service) user and the people it is shared with can open it. Limited-access folders are no
 * way out: their organizers can always open them, and everyone with access to the parent still sees the folder.
 */
const MY_DRIVE = 'root';

/** Each call may carry the effect attempt's AbortSignal: its requests and retry waits stop when it aborts. */
export function createIncidentDocs(opts: IncidentDocsOptions): IncidentDocs {
  const plain = docsWith(opts);
  const bound = (signal?: AbortSignal) => (signal ? docsWith({ ...opts, clients: withSignal(opts.clients, signal) }) : plain);
  return {
    create: (incident, signal, latest) => bound(signal).create(incident, undefined, latest),
    find: (incidentId, signal) => bound(signal).find(incidentId),
    fill: (incident, signal) => bound(signal).fill(incident),
    appendTimeline: (docId, rows, signal) => bound(signal).appendTimeline(docId, rows),
  };
}

function docsWith(opts: IncidentDocsOptions): IncidentDocs {
  const { clients } = opts;
  const { signal } = clients;
  const retry = opts.retry ?? DEFAULT_RETRY;
  const files = 'files(id,webViewLink,createdTime)';

  /** The folder an incident's doc lives in: a private one's never where others can read it (see MY_DRIVE). */
  const placeOf = (incident: Incident): string | undefined => (incident.private ? MY_DRIVE : opts.folderId);

  async function matching(incidentId: string, places: (string | undefined)[]) {
    // Within the folders where the doc can be: a search of all drives may be cut short in a large domain.
    const within = places.includes(undefined) ? '' : ` and (${places.map((p) => `'${quoted(p!)}' in parents`).join(' or ')})`;
    const res = await clients.drive.files.list({
      q: `appProperties has { key='${INCIDENT}' and value='${quoted(incidentId)}' } and trashed = false${within}`,
      corpora: 'allDrives',
      includeItemsFromAllDrives: true,
      supportsAllDrives: true,
      orderBy: 'createdTime',
      fields: `incompleteSearch,${files}`,
    });
    const found = (res.data.files ?? []).map((f) => ({ id: f.id!, url: docUrl(f.id!, f.webViewLink) }));
    // "incompleteSearch: Whether the search process was incomplete. If true, then some search results might be
    // missing, since all documents were not searched." (Drive v3 files.list) Nothing found in an incomplete search
    // does not mean there is no doc: making one now could make a second. Try again later instead.
    if (!found.length && res.data.incompleteSearch) throw new OutsideError('retryable', 'Drive could not search every drive for the incident doc; will look again');
    return found;
  }

  async function copy(incident: Incident): Promise<DocLink> {
    const res = await clients.drive.files.copy({
      fileId: opts.templateId,
      supportsAllDrives: true,
      fields: 'id,webViewLink',
      requestBody: {
        name: `${incidentLabel(incident)} ${incident.title}`,
        ...(placeOf(incident) ? { parents: [placeOf(incident)!] } : {}),
        appProperties: { [KIND]: 'incident-doc', [INCIDENT]: incident.id },
      },
    });
    return { id: res.data.id!, url: docUrl(res.data.id!, res.data.webViewLink) };
  }

  /** Shares the doc; returns the incident's people it could not be shared with, for the effect to report. */
  async function share(docId: string, incident: Incident): Promise<NotShared[]> {
    const people = incident.private ? incidentPeople(incident) : [];
    const unshared: NotShared[] = once(people.filter((p) => !p.email && !people.some((q) => q.id === p.id && q.email))).map((person) => ({ person, reason: 'no-email' }));
    // Each grant stands on its own: they go out side by side.
    const grants = await allOf(shareTargets(incident, opts.share).map(async (requestBody) => {
      // sendNotificationEmail "defaults to true for users and groups, and is not allowed for other requests": Drive
      // answers 403 to a domain grant that carries it at all (permissions.create reference).
      const person = requestBody.type === 'user' || requestBody.type === 'group';
      const granted = await withRetry(
        'sharing the incident doc',
        () =>
          clients.drive.permissions.create({ fileId: docId, supportsAllDrives: true, ...(person ? { sendNotificationEmail: false } : {}), requestBody }).then(
            () => true,
            (err) => {
              // An address with no Google account can only be invited by email (400 invalidSharingRequest): Firebreak
              // sends no invitations, least of all for a private incident, so that person is left for a human to
              // add, and the incident's conversation is told so (see RecordDocNotShared).
              if (person && driveReason(err) === 'invalidSharingRequest') return false;
              throw err;
            },
          ),
        retry,
        signal,
      );
      return granted ? [] : once(people.filter((p) => p.email === requestBody.emailAddress)).map((p) => ({ person: p, reason: 'no-google-account' as const }));
    }));
    return [...unshared, ...grants.flat()];
  }

  /**
   * Fills and shares a doc side by side: neither needs the other. The fill plans from `latest` when given, read once
   * the doc has been read, so a link recorded while the doc was being copied and read is in it.
   */
  async function prepare(doc: DocLink, incident: Incident, latest?: () => Promise<Incident>): Promise<{ unshared: NotShared[]; filled: Incident }> {
    const [filled, unshared] = await allOf([fillDoc(doc.id, latest ?? incident), share(doc.id, incident)] as const);
    return { unshared, filled };
  }

  const api: IncidentDocs = {
    async create(incident, _signal, latest) {
      // The unit of retry is "find, else copy": after a lost answer or a crash, the copy made earlier is found.
      const places = [placeOf(incident)];
      const made = await withRetry('creating the incident doc', async () => (await matching(incident.id, places))[0] ?? (await copy(incident)), retry, signal);
      // Shared with the incident's people as they are now; its fields are filled from a read later still (prepare).
      const shared = (await latest?.()) ?? incident;
      // The duplicate check, the fill and the sharing side by side: the copy made here is nearly always the one kept.
      const [first, prepared] = await Promise.allSettled([settle(incident.id, places, made), prepare(made, shared, latest)]);
      if (first.status === 'rejected') throw first.reason;
      // Another worker's copy came first (two past an expired lease): this one is in the bin, that one is the doc.
      if (first.value.id !== made.id) return { ...first.value, ...(await prepare(first.value, shared, latest)), shared };
      if (prepared.status === 'rejected') throw prepared.reason;
      return { ...made, ...prepared.value, shared };
    },
    async find(incidentId) {
      return (await withRetry('finding the incident doc', () => matching(incidentId, [opts.folderId, MY_DRIVE]), retry, signal))[0];
    },
    async fill(incident) {
      const recorded = incident.resources.doc?.url;
      const recordedId = recorded ? docIdOf(recorded) : undefined;
      // A private doc made by an earlier release is in the folder, not the subject's My Drive: look in both.
      const places = incident.private ? [opts.folderId, MY_DRIVE] : [placeOf(incident)];
      const doc = recordedId ? { id: recordedId, url: recorded! } : (await withRetry('finding the incident doc', () => matching(incident.id, places), retry, signal))[0];
      if (!doc) return undefined;
      // A private doc is shared person by person: a new commander or role holder gets it when they get the role.
      if (!incident.private) {
        await fillDoc(doc.id, incident);
        return { ...doc, unshared: [] };
      }
      return { ...doc, unshared: (await prepare(doc, incident)).unshared };
    },
    async appendTimeline(docId, rows) {
      return lockedWrite(clients, 'writing the timeline', docId, (doc) => {
        const table = findTimeline(doc);
        if (!table) throw new OutsideError('permanent', 'the incident doc has no timeline table (a table whose header row is "Time (UTC) | Who | Entry")');
        const missing = missingRows(doc, rows);
        return { requests: missing.length ? planRows(table, missing) : [], result: { written: missing.length } };
      }, retry);
    },
  };

  /** Answers the incident the fields were filled from. */
  function fillDoc(docId: string, incident: Incident | (() => Promise<Incident>)): Promise<Incident> {
    return lockedWrite(clients, 'filling the incident doc', docId, async (doc) => {
      const from = typeof incident === 'function' ? await incident() : incident;
      return { requests: planFill(doc, placeholderValues(from)), result: from };
    }, retry);
  }

  /** Two workers racing past an expired lease could each copy: all settle on the first copy; the rest go to the bin. */
  async function settle(incidentId: string, places: (string | undefined)[], made: DocLink): Promise<DocLink> {
    const all = await withRetry('checking for duplicate docs', () => matching(incidentId, places), retry, signal);
    const first = all[0] ?? made;
    for (const extra of all.slice(1)) {
      await withRetry('trashing a duplicate doc', () => clients.drive.files.update({ fileId: extra.id, supportsAllDrives: true, requestBody: { trashed: true } }), retry, signal);
    }
    return first;
  }

  return api;
}

/** Who the doc is shared with: the domain and groups; for a private incident only its people (DOMAIN.md). */
export function shareTargets(incident: Incident, share: ShareConfig): { type: string; role: string; domain?: string; emailAddress?: string; allowFileDiscovery?: boolean }[] {
  if (incident.private) {
    const emails = [...new Set(incidentPeople(incident).map((p) => p.email).filter((e): e is string => Boolean(e)))];
    return emails.map((emailAddress) => ({ type: 'user', role: share.role, emailAddress }));
  }
  return [
    ...(share.domain ? [{ type: 'domain', role: share.role, domain: share.domain, allowFileDiscovery: false }] : []),
    ...share.groups.map((emailAddress) => ({ type: 'group', role: share.role, emailAddress })),
  ];
}

/**
 * Whether a doc made for `made` is still current for `now`: the same placeholder values as it was filled with and,
 * for a private incident, the same people as it was shared with. The create effect asks, to fill once more only then.
 */
export function docCurrent(made: MadeFor, now: Incident): boolean {
  const people = (i: Incident) => (i.private ? incidentPeople(i).map((p) => `${p.id} ${p.email ?? ''}`) : []);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return made.shared.private === now.private && same([...placeholderValues(made.filled)], [...placeholderValues(now)]) && same(people(made.shared), people(now));
}

/**
 * Waits for every promise, then fails with the first failure, if any: work running side by side never outlives the
 * call that started it (an effect attempt that failed leaves nothing still writing behind it).
 */
async function allOf<T extends readonly unknown[]>(work: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

/** The people a private incident's doc is for: commander, declarer and role holders (one may hold several parts). */
function incidentPeople(incident: Incident): Person[] {
  const { roles } = incident;
  return [incident.commander, incident.declaredBy, roles.comms, roles.customer, roles.business, ...roles.sme].filter((p): p is Person => Boolean(p));
}

function once(people: Person[]): Person[] {
  return people.filter((p, i) => people.findIndex((q) => q.id === p.id) === i);
}

/** Drive's `errors[0].reason` of a failed call, if it has one. */
function driveReason(err: unknown): string | undefined {
  return (err as { response?: { data?: { error?: { errors?: { reason?: string }[] } } } }).response?.data?.error?.errors?.[0]?.reason;
}

/** A value inside a Drive query string literal. */
function quoted(value: string): string {
  return value.replace(/['\\]/g, '\\$&');
}

/** Drive's webViewLink carries `?usp=drivesdk`; the link people share is the plain edit URL. */
function docUrl(id: string, webViewLink: string | null | undefined): string {
  return webViewLink ? webViewLink.split('?')[0] : `https://docs.google.com/document/d/${id}/edit`;
}

/**
 * The Drive file id in a doc URL: `https://docs.google.com/document/d/<id>/edit` in Google, `<sandbox>/sandbox/docs/<id>`
 * in local mode. Ids are [A-Za-z0-9_-] (https://developers.google.com/drive/api/guides/about-files#characteristics).
 */
export function docIdOf(url: string): string | undefined {
  return /\/(?:document\/d|sandbox\/docs)\/([A-Za-z0-9_-]+)/.exec(url)?.[1];
}

/** `docIdOf` for a link Firebreak recorded itself, where anything else is a bug worth stopping on. */
export function requireDocId(url: string): string {
  const id = docIdOf(url);
  if (!id) throw new Error(`not a doc link: ${url}`);
  return id;
}
