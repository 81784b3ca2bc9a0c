import type { Statement, StatementResult, TransactionOptions } from './protocol.ts'

/** A database the local endpoint can forward to. Errors are thrown as Postgres errors (pg-protocol's DatabaseError). */
export interface Backend {
  readonly name: 'pglite' | 'postgres'
  /** One statement in autocommit when `transaction` is null; otherwise all of them in one transaction. */
  execute(statements: Statement[], transaction: TransactionOptions | null): Promise<StatementResult[]>
  close(): Promise<void>
}
