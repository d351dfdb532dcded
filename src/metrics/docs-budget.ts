import type { WriteBudget } from '../google/write-budget';
import type { Metrics } from './registry';

/** The Docs write budget, counted: each write taken (with how long the budget held it) and each given back. */
export function meteredWrites(budget: WriteBudget, metrics: Metrics, perMinute: number): WriteBudget {
  metrics.docsBudget(perMinute);
  return {
    async take() {
      const t0 = process.hrtime.bigint();
      await budget.take();
      metrics.docsWrite('taken', Number(process.hrtime.bigint() - t0) / 1e9);
    },
    refund() {
      budget.refund();
      metrics.docsWrite('refunded');
    },
  };
}
