import type { OrgPerson, Service } from '../org/services';
import type { AdaptiveCard } from '../teams/cards';
import { plain } from '../teams/text';
import type { OnCall, ServiceOnCall } from './source';

/** "Megan Bowen (meganb@firebreak.test)", several joined; "nobody" when the list is empty. */
export function peopleText(people: readonly OrgPerson[]): string {
  return people.length ? people.map((p) => (p.email ? `${p.name} (${p.email})` : p.name)).join(', ') : 'nobody';
}

/** "2026-03-30 07:00 UTC (09:00 Europe/Berlin)": the hand-over in the rotation's own clock too. */
export function handOverText(iso: string, service: Service): string {
  const utc = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  if (service.experts.kind !== 'rotation' || service.experts.timeZone === 'Etc/UTC') return utc;
  const zone = service.experts.timeZone;
  const local = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
  return `${utc} (${local} ${zone})`;
}

/** The on-call lines of one service, plain text (escaped by the caller for where it goes). */
export function onCallLines(service: Service, onCall: OnCall): { now: string; next?: string } {
  const now = `${peopleText(onCall.now)}${onCall.until ? ` until ${handOverText(onCall.until, service)}` : ''}`;
  return { now, ...(onCall.next && { next: `${peopleText(onCall.next.people)} from ${handOverText(onCall.next.from, service)}` }) };
}

/** `experts <service>`: on call now and next, the escalation contact, each dependency with its on-call. */
export function expertsCard(entry: ServiceOnCall, escalation: OrgPerson | undefined, pageUrl?: string): AdaptiveCard {
  const { service, onCall, dependencies } = entry;
  const lines = onCallLines(service, onCall);
  const facts = [
    { title: 'On call now', value: plain(lines.now) },
    ...(lines.next ? [{ title: 'Next', value: plain(lines.next) }] : []),
    ...(escalation ? [{ title: 'Escalation', value: plain(peopleText([escalation])) }] : []),
    ...(service.team ? [{ title: 'Team', value: plain(service.team) }] : []),
  ];
  const deps = dependencies.map((d) => ({ title: plain(d.service.name), value: plain(onCallLines(d.service, d.onCall).now) }));
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: `Experts for ${plain(service.name)}`, weight: 'Bolder', size: 'Medium', wrap: true },
      ...(service.description ? [{ type: 'TextBlock', text: plain(service.description), isSubtle: true, wrap: true }] : []),
      { type: 'FactSet', facts },
      { type: 'TextBlock', text: deps.length ? 'Depends on' : 'Depends on no other service', weight: 'Bolder', wrap: true, spacing: 'Medium' },
      ...(deps.length ? [{ type: 'FactSet', facts: deps }] : []),
    ],
    ...(pageUrl && { actions: [{ type: 'Action.OpenUrl', title: 'All services', url: pageUrl }] }),
  };
}
