/**
 * Teams' rules for channel names ("Limits and specifications for Microsoft Teams", Channel names):
 * at most 50 characters (Graph: channel-post); none of ~ # % & * { } + / \ : < > ? | ' " , .;
 * no characters in 0x00-0x1F or 0x80-0x9F; not one of the reserved words; not starting with _ or .,
 * not ending with . — https://learn.microsoft.com/microsoftteams/limits-specifications-teams#channel-names
 */
const FORBIDDEN = /[~#%&*{}+/\\:<>?|'",.\u0000-\u001f\u0080-\u009f]/;
const RESERVED = new Set([
  'forms', 'con', 'conin$', 'conout$', 'prn', 'aux', 'nul', 'desktop.ini',
  ...Array.from({ length: 9 }, (_, i) => `com${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `lpt${i + 1}`),
]);

/** Why a channel name is refused, or undefined when Teams accepts it. */
export function channelNameProblem(name: string): string | undefined {
  if (!name.trim()) return 'displayName is required.';
  if (name.length > 50) return `Channel name must be 50 characters or less (got ${name.length}).`;
  const bad = FORBIDDEN.exec(name);
  if (bad) return `Channel name contains a character that isn't allowed: '${bad[0]}'.`;
  if (/^[_.]/.test(name) || name.endsWith('.')) return "Channel name can't start with '_' or '.', or end with '.'.";
  if (RESERVED.has(name.toLowerCase()) || name.toLowerCase().includes('_vti_')) return `Channel name '${name}' is a reserved word.`;
  return undefined;
}
