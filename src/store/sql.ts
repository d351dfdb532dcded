/** The little SQL surface both backends share: PGlite (embedded) and PostgreSQL (`pg`). */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` in one transaction; a throw rolls it back. */
  transaction<R>(fn: (tx: SqlTx) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

export type SqlTx = Pick<Sql, 'query'>;
