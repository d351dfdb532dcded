/**
 * Who has a Google account, as far as the sandbox knows: every address in the Workspace domain it serves, and
 * every address in `otherDomains` (a partner's Workspace, the Agents Playground's people in local mode). Drive
 * refuses to share silently with anyone else, and refuses `domain` grants to a domain Google does not know.
 */
export interface Directory {
  domain: string;
  /** Whether the address is a Google account (user or group) Drive can share with without an invitation. */
  hasAccount(email: string): boolean;
  /** Whether the domain is a Google Workspace domain (a `domain` permission can name it). */
  knowsDomain(domain: string): boolean;
  /** The account's display name when the sandbox was told it, else the address (as DEVIATIONS.md says). */
  displayName(email: string): string;
}

export function createDirectory(domain: string, otherDomains: string[] = [], people: readonly { email: string; name: string }[] = []): Directory {
  const known = new Set([domain, ...otherDomains].map((d) => d.toLowerCase()));
  const knowsDomain = (d: string) => known.has(d.toLowerCase());
  const names = new Map(people.map((p) => [p.email.toLowerCase(), p.name]));
  return { domain, knowsDomain, hasAccount: (email) => knowsDomain(email.split('@')[1] ?? ''), displayName: (email) => names.get(email.toLowerCase()) ?? email };
}
