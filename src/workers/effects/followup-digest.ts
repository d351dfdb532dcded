import { instantAt, localDate, nextDigest } from '../../domain/followup-dates';
import { followUpDigest, type DigestEntry } from '../../domain/followup-messages';
import type { Incident, Person } from '../../domain/incident';
import type { FollowUpSettings } from '../../org/followups';
import type { ClaimedEffect } from '../../store/store';
import { byDue, openItems, type OpenItem } from '../../followups/query';
import { failureKind } from '../../outside-error';
import { notifyPerson, type NotifyPersonDeps } from './notify-person';

/** How long after the hour a recipient's passing trouble (a 429, a timeout) is retried before their digest is skipped. */
const RETRY_FOR_MS = 15 * 60_000;

interface DigestPayload {
  /** The Monday (local date) this run is for. */
  date: string;
  /** Recipients told for that Monday (`<date>:<role>:<person id>`), kept under the lease as each is told. */
  sent?: Record<string, true>;
}

/**
 * Every Monday at the organisation's hour, in its time zone: one digest per owner of open follow-ups, and one per
 * incident commander of the open items of their incidents (seed 001: weekly until done), in a 1:1 chat from the bot
 * (else in an incident's conversation, and by mail when an address is known: notify-person.ts). One effect for the whole
 * service (src/domain/followups.ts DIGEST_KEY), claimed under a lease by one replica at a time; each recipient told is
 * recorded on the effect before the next, so a retry (a crash, a lost lease) tells nobody twice for that Monday. Then
 * it sets itself for the next Monday.
 */
export function followUpDigestRun(deps: NotifyPersonDeps & { settings: () => FollowUpSettings }) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<{ runAgainAt: string }> => {
    const { timeZone, hour } = deps.settings();
    const payload = effect.payload as DigestPayload;
    const now = deps.now();
    const date = payload.date ?? localDate(now, timeZone);
    // Set for a Monday still ahead (a run handed back after it moved on, or the time zone changed): wait for it.
    const due = instantAt(date, hour, timeZone);
    if (Date.parse(due) > now.getTime()) return { runAgainAt: due };

    const sent: Record<string, true> = Object.fromEntries(Object.entries(payload.sent ?? {}).filter(([k]) => k.startsWith(`${date}:`))) as Record<string, true>;
    for (const { role, person, items } of recipients((await openItems(deps.store)).sort(byDue))) {
      const key = `${date}:${role}:${person.id}`;
      if (sent[key]) continue;
      const entries: DigestEntry[] = items.map(({ incident, item }) => ({ incident, item }));
      const digest = followUpDigest(person, role, entries, date);
      // The 1:1 and the mail are read by the person alone and have all their items (an owner's own; an IC's, of the
      // incidents they lead). The fallback is posted in one incident's conversation (the first item's), read by
      // everyone there: another private incident's items stay out of it and are only counted.
      const where = items[0].incident;
      const shown = items.filter(({ incident }) => !incident.private || incident.id === where.id).map(({ incident, item }) => ({ incident, item }));
      const teamsDigest = followUpDigest(person, role, shown, date);
      const hidden = entries.length - shown.length;
      const inConversation = hidden ? { ...teamsDigest, lines: [...teamsDigest.lines, `And ${hidden} item${hidden === 1 ? '' : 's'} of private incidents, not listed here: see your mail, or those incidents' conversations ("followups").`] } : teamsDigest;
      try {
        await notifyPerson(deps, effect, signal, person, { direct: digest, fallback: { incident: where, message: inConversation }, mail: digest }, `:${key}`);
      } catch (err) {
        // Passing trouble is retried for a while (those told are kept); the attempt running out of time, likewise.
        if (signal.aborted || (failureKind(err) === 'retryable' && deps.now().getTime() - Date.parse(due) < RETRY_FOR_MS)) throw err;
        // One conversation that can't be reached (removed, the bot uninstalled) must not stop everyone's digest, nor,
        // retried past the runner's limit, every later Monday's: this one is skipped this week and said so.
        deps.log.warn('a follow-up digest could not be delivered', { effect: effect.key, recipient: key, error: (err as Error).message });
      }
      sent[key] = true;
      await deps.store.noteEffectProgress(effect, { sent });
    }
    const next = nextDigest(new Date(Math.max(now.getTime(), Date.parse(due))), timeZone, hour);
    await deps.store.noteEffectProgress(effect, { date: next.date, sent: {} });
    deps.log.info('follow-up digest sent', { date, recipients: Object.keys(sent).length, next: next.at });
    return { runAgainAt: next.at };
  };
}

function recipients(items: OpenItem[]): { role: 'owner' | 'commander'; person: Person; items: OpenItem[] }[] {
  const groups = new Map<string, { role: 'owner' | 'commander'; person: Person; items: OpenItem[] }>();
  const add = (role: 'owner' | 'commander', person: Person, entry: OpenItem) => {
    const k = `${role}:${person.id}`;
    const group = groups.get(k) ?? { role, person, items: [] };
    group.items.push(entry);
    groups.set(k, group);
  };
  for (const entry of items) {
    if (entry.item.owner) add('owner', entry.item.owner, entry);
    add('commander', commanderOf(entry.incident), entry);
  }
  return [...groups.values()];
}

const commanderOf = (incident: Incident): Person => incident.commander;
