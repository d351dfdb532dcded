import { isTimeZone, isDate, weekdayOf } from '../oncall/rotation';
import type { RawOrgFile } from './schema';

/** Where a value is written: `file:line:col` of the node at the path (the deepest existing parent otherwise). */
export type At = (path: (string | number)[]) => string;

/**
 * The checks of `people` and `services` the schema cannot make: names unique (aliases included), every person and
 * dependency known, no dependency cycle, a rotation with members, a real time zone and start date.
 */
export function serviceChecks(raw: RawOrgFile, at: At): string[] {
  const problems: string[] = [];
  const people = raw.people ?? [];
  const services = raw.services ?? [];
  const personIds = new Set<string>();
  people.forEach((p, i) => {
    if (personIds.has(p.id)) problems.push(`${at(['people', i, 'id'])} people "${p.id}" is listed twice`);
    personIds.add(p.id);
  });
  const person = (id: string, path: (string | number)[], what: string) => {
    if (!personIds.has(id)) problems.push(`${at(path)} unknown person "${id}" as ${what} (not in people:${people.length ? ` ${[...personIds].slice(0, 10).join(', ')}` : ' the file lists nobody'})`);
  };

  const owner = new Map<string, string>(); // every name and alias -> the service it names
  services.forEach((s, i) => {
    for (const [name, path] of [[s.name, ['services', i, 'name']], ...(s.aliases ?? []).map((a, j) => [a, ['services', i, 'aliases', j]])] as [string, (string | number)[]][]) {
      const taken = owner.get(name);
      if (taken !== undefined) problems.push(`${at(path)} "${name}" already names the service "${taken}"`);
      else owner.set(name, s.name);
    }
  });
  const names = new Set(services.map((s) => s.name));

  services.forEach((s, i) => {
    (s.depends_on ?? []).forEach((d, j) => {
      if (d === s.name) problems.push(`${at(['services', i, 'depends_on', j])} "${s.name}" depends on itself`);
      else if (!names.has(d)) problems.push(`${at(['services', i, 'depends_on', j])} unknown dependency "${d}" of "${s.name}" (services: ${[...names].join(', ')})`);
    });
    if (s.escalation) person(s.escalation, ['services', i, 'escalation'], `the escalation contact of "${s.name}"`);
    const components = raw.status_page.components.map((c) => c.id);
    if (s.component && !components.includes(s.component)) problems.push(`${at(['services', i, 'component'])} unknown status page component "${s.component}" of "${s.name}" (components: ${components.join(', ')})`);
    const { rotation, people: fixed } = s.experts;
    if (fixed) {
      if (!fixed.length) problems.push(`${at(['services', i, 'experts', 'people'])} "${s.name}" lists no experts`);
      fixed.forEach((id, j) => person(id, ['services', i, 'experts', 'people', j], `an expert of "${s.name}"`));
    }
    if (rotation) {
      const base = ['services', i, 'experts', 'rotation'];
      if (!rotation.members.length) problems.push(`${at([...base, 'members'])} the rotation of "${s.name}" is empty: name its members`);
      rotation.members.forEach((id, j) => person(id, [...base, 'members', j], `a member of the rotation of "${s.name}"`));
      if (!isTimeZone(rotation.time_zone)) problems.push(`${at([...base, 'time_zone'])} unknown time zone "${rotation.time_zone}" (an IANA name, e.g. Europe/Berlin)`);
      if (!isDate(rotation.start)) problems.push(`${at([...base, 'start'])} "${rotation.start}" is not a date`);
      else if (rotation.every === 'week') {
        if (!rotation.day) problems.push(`${at(base)} a weekly rotation needs its hand-over day (day: monday … sunday)`);
        else if (weekdayOf(rotation.start) !== rotation.day) problems.push(`${at([...base, 'start'])} the rotation starts on a ${weekdayOf(rotation.start)}, not on its hand-over day (${rotation.day})`);
      } else if (rotation.day) problems.push(`${at([...base, 'day'])} a daily rotation hands over every day: remove "day"`);
    }
  });

  // A cycle makes "what does this depend on" endless: name it once, where it closes.
  const deps = new Map(services.map((s) => [s.name, (s.depends_on ?? []).filter((d) => names.has(d) && d !== s.name)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      const from = trail[trail.length - 1];
      const i = services.findIndex((s) => s.name === from);
      const j = (services[i].depends_on ?? []).indexOf(name);
      problems.push(`${at(['services', i, 'depends_on', j])} dependency cycle: ${cycle.join(' -> ')}`);
      return;
    }
    state.set(name, 'visiting');
    for (const d of deps.get(name) ?? []) visit(d, [...trail, name]);
    state.set(name, 'done');
  };
  for (const s of services) visit(s.name, []);
  return problems;
}
