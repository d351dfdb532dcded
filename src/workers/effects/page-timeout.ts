import type { PageEffect } from '../../domain/paging-effects';
import type { Paging } from '../../paging/pages';
import type { ClaimedEffect } from '../../store/store';

/**
 * The end of a step's window: if nobody in it acknowledged, the next step is paged (or the page runs out). Completed
 * in the same commit as what it decided, so two workers can't both move the page on.
 */
export function pageTimeout(deps: { paging: Paging }) {
  return async (effect: ClaimedEffect): Promise<void> => {
    const { pageId, step } = effect.payload as Extract<PageEffect, { kind: 'page.timeout' }>['payload'];
    await deps.paging.expire(pageId, step, effect);
  };
}
