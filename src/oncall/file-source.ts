import type { OrgFile } from '../org/schema';
import type { OrgPerson } from '../org/services';
import { shiftAt } from './rotation';
import type { OnCall, OnCallSource } from './source';

/** On-call from the organisation file alone: rotation arithmetic, no I/O. */
export function fileOnCallSource(org: Pick<OrgFile, 'people'>): OnCallSource {
  const people = new Map(org.people.map((p) => [p.id, p]));
  // The start checks that every id is a person; `?? fallback` keeps a hand-built file usable all the same.
  const person = (id: string): OrgPerson => people.get(id) ?? { id, name: id, email: '' };
  return {
    async onCall(service, at): Promise<OnCall> {
      const experts = service.experts;
      switch (experts.kind) {
        case 'fixed':
          return { now: experts.people.map(person) };
        case 'rotation': {
          const { now, next } = shiftAt(experts, at);
          return {
            now: now ? [person(experts.members[now.member])] : [],
            ...(now && { since: now.from, until: now.until }),
            next: { people: [person(experts.members[next.member])], from: next.from },
          };
        }
        default: {
          const never: never = experts;
          throw new Error(`unknown experts kind ${JSON.stringify(never)}`);
        }
      }
    },
  };
}
