import type { Outcome } from '../../app/incidents';
import type { ChangeRequest } from '../../domain/decide';
import { changeLine, nextUpdateLine } from '../../domain/messages';

/** The sidebar's actions, each the same domain command the Teams card sends, so Teams, the doc and the timeline follow. */
export const ACTIONS = ['addEntry', 'setSeverity', 'setPhase', 'postUpdate'] as const;
export type SidebarAction = (typeof ACTIONS)[number];

export function isSidebarAction(action: string): action is SidebarAction {
  return (ACTIONS as readonly string[]).includes(action);
}

/** Reads the card's form inputs; missing or odd values go to the domain, whose refusals say what is wrong. */
export function changeFor(action: SidebarAction, inputs: Record<string, string>): ChangeRequest {
  switch (action) {
    case 'setSeverity':
      return { type: 'ChangeSeverity', severity: Number(inputs.severity ?? Number.NaN) };
    case 'setPhase':
      return { type: 'ChangePhase', phase: Number(inputs.phase ?? Number.NaN) };
    case 'addEntry':
      return { type: 'AddNote', kind: inputs.destructive === 'true' ? 'action' : 'note', text: inputs.entry ?? '', via: 'sidebar' };
    case 'postUpdate':
      return { type: 'PostStakeholderUpdate', text: inputs.update ?? '' };
    default: {
      const never: never = action;
      throw new Error(`unhandled sidebar action ${String(never)}`);
    }
  }
}

/** The notification under the updated card: what happened, in the words Teams uses for the same change. */
export function notice(outcome: Exclude<Outcome, { kind: 'duplicate' }>): string {
  switch (outcome.kind) {
    case 'refused':
      return outcome.reason;
    case 'unchanged':
      return 'Nothing to change: it is already so.';
    case 'changed': {
      const lines = outcome.events.map((e) => changeLine(e)).filter((l): l is string => Boolean(l));
      if (lines.length) return `${lines.join(' ')} Teams is being updated.`;
      if (outcome.events.some((e) => e.type === 'StakeholderUpdatePosted')) {
        return `Update posted to every place that follows the incident. ${nextUpdateLine(outcome.incident) ?? ''}`.trim();
      }
      return 'Added to the timeline.';
    }
  }
}
