import { actionCells, NOBODY } from './followup-doc';
import type { FollowUp } from './followups';
import type { Person } from './values';

/**
 * A row of the postmortem doc's action table, read as a person wrote it (issue 18 item 8): the action, the owner by
 * name, email or @name, the due date in the forms `followup … due` takes, the state. What a row means is decided
 * here, purely; the worker (src/workers/actions/) runs the commands.
 */
export type RowChange =
  | { kind: 'add'; text: string; owner?: Person; due?: string; problems: string[]; close?: 'done' | 'cancelled' }
  | { kind: 'edit'; text?: string; owner?: Person | null; due?: string; problems: string[]; close?: 'done' | 'cancelled' }
  | { kind: 'none' };

const A = 0;
const OWNER = 1;
const DUE = 2;
const STATE = 3;

/**
 * What changed in a row against what it said before (`before`: the cells Firebreak last wrote or accepted; unset
 * for an item's row never read, whose item is what it said), or, without an item, the new item it is.
 */
export function rowChange(cells: readonly string[], item: FollowUp | undefined, before: readonly string[] | undefined, people: readonly Person[]): RowChange {
  const cell = (c: number) => (cells[c] ?? '').replace(/\s+/g, ' ').trim();
  const problems: string[] = [];
  const owner = () => {
    const read = readOwner(cell(OWNER), people);
    if ('unknown' in read) problems.push(read.unknown);
    return 'unknown' in read ? undefined : read.owner;
  };
  const close = readState(cell(STATE));
  if (!item) {
    const who = owner();
    const due = readDue(cell(DUE));
    return { kind: 'add', text: actionText(cell(A)), ...(who && { owner: who }), ...(due && { due }), problems, ...(close && close !== 'open' && { close }) };
  }
  const was = (before ?? actionCells(item)).map((t) => t.replace(/\s+/g, ' ').trim());
  const changed = (c: number) => cell(c) !== was[c];
  const change: Extract<RowChange, { kind: 'edit' }> = { kind: 'edit', problems };
  if (changed(A) && actionText(cell(A))) change.text = actionText(cell(A));
  if (changed(OWNER)) {
    const who = owner();
    if (who) change.owner = who;
    else if (!problems.length) change.owner = null;
  }
  if (changed(DUE)) change.due = readDue(cell(DUE)) ?? '';
  if (changed(STATE) && close) {
    if (close !== 'open') change.close = close;
    else if (item.status !== 'open') problems.push(`#${item.n} is ${item.status}; a closed item stays closed: add a new row for what is left.`);
  } else if (changed(STATE) && cell(STATE)) problems.push(`the state "${cell(STATE).slice(0, 40)}" of #${item.n} is not one of open, done, cancelled.`);
  return change.text !== undefined || change.owner !== undefined || change.due !== undefined || change.close || problems.length ? change : { kind: 'none' };
}

/** The action without the `#n ` Firebreak writes in front of it. */
function actionText(text: string): string {
  return text.replace(/^#\d{1,6}\s+/, '').trim();
}

function readDue(text: string): string | undefined {
  const t = text.trim();
  return !t || /^(planning|none|-|–)$/i.test(t) ? undefined : t.replace(/^due\s+/i, '');
}

function readState(text: string): 'open' | 'done' | 'cancelled' | undefined {
  const t = text.trim().toLowerCase();
  if (/^(done|closed|complete|completed|finished|✓|✔|✅)$/.test(t)) return 'done';
  if (/^(cancel+ed|cancel|dropped|won'?t do|wontfix)$/.test(t)) return 'cancelled';
  if (/^(open|todo|to do|in progress|doing)$/.test(t)) return 'open';
  return undefined;
}

/**
 * An owner by email, by name or first name (an `@` in front, as a mention, is fine), among the people the incident
 * knows. An email nobody in the incident has is taken as it is (the person is reachable by it); a name nobody has,
 * or several have, is not guessed.
 */
export function readOwner(text: string, people: readonly Person[]): { owner?: Person } | { unknown: string } {
  const t = text.replace(/^@/, '').trim();
  if (!t || t.toLowerCase() === NOBODY || /^(nobody|none|-|–|tbd|\?)$/i.test(t)) return {};
  const lower = t.toLowerCase();
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(t)) {
    const known = people.find((p) => p.email?.toLowerCase() === lower);
    return { owner: known ?? { id: `google:${lower}`, name: lower, email: lower } };
  }
  const unique = (found: Person[]) => [...new Map(found.map((p) => [p.id, p])).values()];
  const byName = unique(people.filter((p) => p.name.toLowerCase() === lower));
  const byFirst = byName.length ? byName : unique(people.filter((p) => p.name.toLowerCase().split(/\s+/)[0] === lower));
  if (byFirst.length === 1) return { owner: byFirst[0] };
  const shown = t.slice(0, 60);
  if (byFirst.length > 1) return { unknown: `"${shown}" could be ${byFirst.map((p) => p.name).join(' or ')}; no owner was set. Write the full name or an email.` };
  return { unknown: `nobody called "${shown}" is known in this incident, so the item has no owner yet. Write a responder's name or an email.` };
}
