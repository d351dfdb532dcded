import { hhmm, type Page } from '../domain/paging';
import type { PageOutcome } from './pages';

/** What the person who paged is told, in plain words. */
export function pageOutcomeText(service: string, outcome: PageOutcome, label?: string): string {
  const names = (page: Page) => page.chain[page.step].map((p) => p.name).join(', ');
  switch (outcome.kind) {
    case 'paged': {
      const page = outcome.page;
      const then = page.chain.length > 1 ? ` Without an answer by then: ${page.chain.slice(1).map((s) => s.map((p) => p.name).join(', ')).join(', then ')}.` : '';
      return `Paging ${names(page)} for ${service}${label ? ` (${label})` : ''}: a 1:1 chat with Acknowledge / Can't. They have until ${hhmm(page.ackBy)} UTC.${then}`;
    }
    case 'already': {
      const page = outcome.page;
      const when = `${service} was already paged at ${hhmm(page.requestedAt)} UTC by ${page.requestedBy.name}`;
      if (page.status === 'acknowledged') return `${when}: ${page.acknowledgedBy!.name} acknowledged at ${hhmm(page.acknowledgedAt!)} UTC. Nobody was paged again.`;
      if (page.status === 'exhausted') return `${when} and nobody acknowledged; page it again after ${hhmm(new Date(Date.parse(page.requestedAt) + page.ackMinutes * 60_000).toISOString())} UTC, or call someone directly.`;
      return `${when}: ${names(page)} ${page.chain[page.step].length > 1 ? 'have' : 'has'} until ${hhmm(page.ackBy)} UTC to acknowledge. Nobody was paged again.`;
    }
    case 'refused':
      return outcome.reason;
    case 'unchanged':
    case 'duplicate':
      return 'Nothing changed.';
  }
}
