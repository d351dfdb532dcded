/**
 * The small part of OData the emulated routes accept: `$filter=<property> eq '<literal>'` (quotes inside a
 * literal are doubled, as OData writes them) and `$select`. Anything else is refused by name, never ignored.
 */
export function parseEqFilter(filter: string, properties: readonly string[]): { property: string; value: string } | { problem: string } {
  const match = /^\s*([A-Za-z]+)\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(filter);
  if (!match) return { problem: `only "<property> eq '<text>'" is emulated (got "${filter}").` };
  if (!properties.includes(match[1])) return { problem: `filtering on '${match[1]}' is not supported here.` };
  return { property: match[1], value: match[2].replace(/''/g, "'") };
}

export function applySelect(entity: Record<string, unknown>, select: string | null): Record<string, unknown> {
  if (!select) return entity;
  const wanted = select.split(',').map((s) => s.trim());
  return Object.fromEntries(Object.entries(entity).filter(([k]) => k === 'id' || wanted.includes(k)));
}

