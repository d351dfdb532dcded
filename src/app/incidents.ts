import { decide, isRefusal, type Command, type DeclareIncident } from '../domain/decide';
import { evolveAll, type Incident, type IncidentEvent } from '../domain/incident';
import { react, type Effect } from '../domain/react';
import type { Policy } from '../domain/policy';
import { keyedQueue } from '../serial';
import { LeaseLost, type Claim, type CommitResult, type Store } from '../store/store';

export type Outcome =
  | { kind: 'changed'; incident: Incident; events: IncidentEvent[] }
  | { kind: 'unchanged'; incident: Incident }
  | { kind: 'refused'; reason: string }
  | { kind: 'duplicate' };

export interface RunOptions {
  /** The inbound activity id, so a re-delivery changes nothing. */
  inboundKey?: string;
  /**
   * The claimed effect whose result this command records: it completes with the commit. When its lease no longer
   * holds (the attempt ran too long and was retried elsewhere) nothing is written and LeaseLost is thrown.
   */
  /** An effect attempt recording a first fact (not its last): nothing is written once its claim has lapsed. */
  underLease?: Claim;
  completesEffect?: Claim;
  /** More effects for the commit, made from the state it leads to: the reply to a chat command (src/teams/replies.ts). */
  alsoEffects?: (incident: Incident, events: IncidentEvent[]) => Effect[];
}

export interface Incidents {
  /** Declares a new incident; its number is allocated in the declaring transaction (no gaps). */
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
export function createIncidents(store: Store, onCommitted: () => void = () => undefined, policy?: Policy): Incidents {
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
      if (opts.completesEffect && !(await store.completeEffect(opts.completesEffect, command.at))) throw new LeaseLost(opts.completesEffect.id);
      return { kind: 'unchanged', incident: incident! };
    }
    const next = evolveAll(decision, incident)!;
    const result = await store.commit({
      incidentId: next.id,
      expectedVersion: incident?.version ?? 0,
      events: decision,
      state: next,
      effects: [...react(decision, next), ...(opts.alsoEffects?.(next, decision) ?? [])],
      inboundKey: opts.inboundKey,
      completesEffect: opts.completesEffect,
      underLease: opts.underLease,
      now: command.at,
    });
    if (!result.ok) return failed(result, opts);
    onCommitted();
    return { kind: 'changed', incident: next, events: decision };
  }

  function failed(result: Exclude<CommitResult, { ok: true }>, opts: RunOptions): Outcome | 'conflict' {
    if (result.reason === 'lease-lost') throw new LeaseLost((opts.completesEffect ?? opts.underLease)!.id);
    return result.reason === 'duplicate' ? { kind: 'duplicate' } : 'conflict';
  }

  return {
    async declare(asked, opts = {}) {
      // Each incident runs under the organisation's policy as it stood when it was declared (src/domain/policy.ts).
      const command = policy && !asked.policy ? { ...asked, policy } : asked;
      // Check the declaration before spending a number on it.
      const probe = decide({ ...command, type: 'DeclareIncident', number: 0 }, null);
      if (isRefusal(probe)) return { kind: 'refused', reason: probe.refused };
      // The number is taken inside the commit: a re-delivery (a double click on the form), a failed commit or a crash
      // spends none, so people never ask where INC-2 went.
      let made: { incident: Incident; events: IncidentEvent[] } | undefined;
      const result = await store.commitNew({ inboundKey: opts.inboundKey, now: command.at }, (number) => {
        const events = decide({ ...command, type: 'DeclareIncident', number }, null);
        if (isRefusal(events)) throw new Error(`declaration refused once numbered: ${events.refused}`);
        const incident = evolveAll(events, null)!;
        made = { incident, events };
        return { incidentId: incident.id, expectedVersion: 0, events, state: incident, effects: [...react(events, incident), ...(opts.alsoEffects?.(incident, events) ?? [])], completesEffect: opts.completesEffect, now: command.at };
      });
      if (!result.ok) {
        const outcome = failed(result, opts);
        if (outcome === 'conflict') throw new Error(`incident id ${command.incidentId} already exists`);
        return outcome;
      }
      onCommitted();
      return { kind: 'changed', ...made! };
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
