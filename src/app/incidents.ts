import { decide, isRefusal, type Command, type DeclareIncident } from '../domain/decide';
import { evolveAll, type Incident, type IncidentEvent } from '../domain/incident';
import { react } from '../domain/react';
import { keyedQueue } from '../serial';
import type { Store } from '../store/store';

export type Outcome =
  | { kind: 'changed'; incident: Incident; events: IncidentEvent[] }
  | { kind: 'unchanged'; incident: Incident }
  | { kind: 'refused'; reason: string }
  | { kind: 'duplicate' };

export interface RunOptions {
  /** The inbound activity id, so a re-delivery changes nothing. */
  inboundKey?: string;
  /** The effect whose result this command records. */
  completesEffect?: string;
}

export interface Incidents {
  /** Declares a new incident; the number is allocated here. */
  declare(command: Omit<DeclareIncident, 'number'>, opts?: RunOptions): Promise<Outcome>;
  run(incidentId: string, command: Exclude<Command, DeclareIncident>, opts?: RunOptions): Promise<Outcome>;
}

/** Across processes a conflict is retried with a growing, jittered wait; within one, commands queue per incident. */
const MAX_CONFLICT_RETRIES = 12;
const conflictWaitMs = (attempt: number) => Math.round(Math.random() * Math.min(500, 10 * 2 ** attempt));

/**
 * The application service: load, decide, evolve, react, commit — retried on a version conflict.
 * `onCommitted` wakes the effect workers.
 */
export function createIncidents(store: Store, onCommitted: () => void = () => undefined): Incidents {
  // Commands for one incident run one at a time in this process, so concurrent clicks and notes never lose to each
  // other; the version check still guards against other processes.
  const serially = keyedQueue();

  async function commit(
    incident: Incident | null,
    command: Command,
    opts: RunOptions,
  ): Promise<Outcome | 'conflict'> {
    const decision = decide(command, incident);
    if (isRefusal(decision)) return { kind: 'refused', reason: decision.refused };
    if (decision.length === 0) {
      if (opts.completesEffect) await store.completeEffect(opts.completesEffect, command.at);
      return { kind: 'unchanged', incident: incident! };
    }
    const next = evolveAll(decision, incident)!;
    const result = await store.commit({
      incidentId: next.id,
      expectedVersion: incident?.version ?? 0,
      events: decision,
      state: next,
      effects: react(decision, next),
      inboundKey: opts.inboundKey,
      completesEffect: opts.completesEffect,
      now: command.at,
    });
    if (!result.ok) return result.reason === 'duplicate' ? { kind: 'duplicate' } : 'conflict';
    onCommitted();
    return { kind: 'changed', incident: next, events: decision };
  }

  return {
    async declare(command, opts = {}) {
      // Check the declaration before spending a number on it.
      const probe = decide({ ...command, type: 'DeclareIncident', number: 0 }, null);
      if (isRefusal(probe)) return { kind: 'refused', reason: probe.refused };
      // A re-delivery (a double click on the form) must not spend a number: people ask where INC-2 went.
      if (opts.inboundKey && (await store.seenInbound(opts.inboundKey))) return { kind: 'duplicate' };
      const number = await store.nextNumber();
      const outcome = await commit(null, { ...command, number }, opts);
      if (outcome === 'conflict') throw new Error(`incident id ${command.incidentId} already exists`);
      return outcome;
    },
    run(incidentId, command, opts = {}) {
      return serially(incidentId, async () => {
        for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, conflictWaitMs(attempt)));
          const incident = await store.load(incidentId);
          if (!incident) return { kind: 'refused', reason: 'That incident does not exist.' } as const;
          const outcome = await commit(incident, command, opts);
          if (outcome !== 'conflict') return outcome;
        }
        throw new Error(`incident ${incidentId}: gave up after ${MAX_CONFLICT_RETRIES} version conflicts`);
      });
    },
  };
}
