import type { Statement, StatementResult, TransactionOptions } from './protocol.ts'

/** A database the local endpoint can forward to. Errors are thrown as Postgres errors (pg-protocol's DatabaseError). */
export interface Backend {
  readonly name: 'pglite' | 'postgres'
  /**
   * One statement in autocommit when `transaction` is null; otherwise all of them in one transaction.
   * `abandoned` fires when the client went away: the PostgreSQL backend cancels what is running, as
   * Neon does; PGlite runs in this process and cannot be interrupted, so it finishes.
   */
  execute(
    statements: Statement[],
    transaction: TransactionOptions | null,
    abandoned?: AbortSignal,
  ): Promise<StatementResult[]>
  close(): Promise<void>
}
