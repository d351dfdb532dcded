/** The little SQL surface both backends share: PGlite (embedded) and PostgreSQL (`pg`). */
export interface Sql {
  /** `urgent`: go before queued work where the backend queues (PGlite); PostgreSQL's pool ignores it. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[], opts?: { urgent?: boolean }): Promise<T[]>;
  /** Runs `fn` in one transaction; a throw rolls it back. `urgent` as for `query` (a caller waiting on its answer). */
  transaction<R>(fn: (tx: SqlTx) => Promise<R>, opts?: { urgent?: boolean }): Promise<R>;
  close(): Promise<void>;
}

export type SqlTx = Pick<Sql, 'query'>;
