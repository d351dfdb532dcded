import type { DeclareIncident } from '../../src/domain/decide';
import { decide, isRefusal, type Command } from '../../src/domain/decide';
import { evolveAll, type Conversation, type Incident, type IncidentEvent, type Person } from '../../src/domain/incident';

export const AT = '2026-03-15T00:02:00.000Z';
export const jo: Person = { id: 'u-jo', name: 'Jo Park' };
export const sam: Person = { id: 'u-sam', name: 'Sam Lee' };
export const ana: Person = { id: 'u-ana', name: 'Alícia S.' };
export const here: Conversation = { id: '19:ops@thread.tacv2;messageid=1', serviceUrl: 'https://smba.example/' };
export const announcements: Conversation = { id: '19:announce@thread.tacv2', serviceUrl: 'https://smba.example/', isChannel: true };

export function declareCommand(overrides: Partial<DeclareIncident> = {}): DeclareIncident {
  return {
    type: 'DeclareIncident',
    incidentId: 'inc-1',
    number: 1,
    title: 'Production has failed over to secondary database',
    severity: 2,
    origin: here,
    at: AT,
    by: jo,
    ...overrides,
  };
}

/** Given these commands (each must be accepted), the events and the state they lead to. */
export function given(...commands: Command[]): { events: IncidentEvent[]; state: Incident } {
  let state: Incident | null = null;
  const events: IncidentEvent[] = [];
  for (const command of commands) {
    const decision = decide(command, state);
    if (isRefusal(decision)) throw new Error(`given: ${command.type} was refused: ${decision.refused}`);
    events.push(...decision);
    state = evolveAll(decision, state);
  }
  return { events, state: state! };
}
