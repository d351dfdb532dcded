import type { OrgFile } from '../org/schema';
import type { OrgPerson, Service } from '../org/services';

/**
 * Where "who is on call" comes from. The organisation file is the first source (src/oncall/file-source.ts); a
 * PagerDuty or Opsgenie schedule is one more folder implementing this (docs/oncall.md says what it would call).
 * @example await source.onCall(payments, new Date()) // { now: [Megan], until: '…', next: { people: [Adele], from: '…' } }
 */
export interface OnCallSource {
  onCall(service: Service, at: Date): Promise<OnCall>;
}

export interface OnCall {
  /** Who to call now: one person in a rotation, everyone in a fixed list; empty before a rotation starts. */
  now: OrgPerson[];
  /** When the current shift began and ends (a rotation's shifts only). */
  since?: string;
  until?: string;
  /** Who takes over next, and from when (absent for a fixed list). */
  next?: { people: OrgPerson[]; from: string };
}

/** One service as the experts page and `experts <service>` show it: its on-call, and each dependency's. */
export interface ServiceOnCall {
  service: Service;
  onCall: OnCall;
  dependencies: { service: Service; onCall: OnCall }[];
}

/** Every service of the file (or only `only`) with its on-call and its direct dependencies', at one instant. */
export async function directory(org: OrgFile, source: OnCallSource, at: Date, only?: Service): Promise<ServiceOnCall[]> {
  const byName = new Map(org.services.map((s) => [s.name, s]));
  const cache = new Map<string, Promise<OnCall>>();
  const of = (s: Service) => {
    let p = cache.get(s.name);
    if (!p) cache.set(s.name, (p = source.onCall(s, at)));
    return p;
  };
  const list = only ? [only] : org.services;
  return Promise.all(
    list.map(async (service) => ({
      service,
      onCall: await of(service),
      dependencies: await Promise.all(
        service.dependsOn.map((name) => byName.get(name)).filter((d): d is Service => d !== undefined).map(async (d) => ({ service: d, onCall: await of(d) })),
      ),
    })),
  );
}
