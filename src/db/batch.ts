import type { BatchItem } from 'drizzle-orm/batch'
import type { Db } from './client.ts'

/** Statements of one batch, each under the name of what it is for. */
export type Statements = Record<string, BatchItem<'pg'>>

/** What each named statement returned. */
export type Results<S extends Statements> = { [K in keyof S]: S[K]['_']['result'] }

type NonEmpty = [BatchItem<'pg'>, ...BatchItem<'pg'>[]]

/** No statements: the default `before` and `after`. */
type None = Record<string, never>

/**
 * One round trip and one transaction (neon-http's `db.batch`): `before`, the named statements, then
 * `after`, in that order. Every result comes back under its statement's name, so adding a statement
 * never shifts another's result; `before` and `after` are the protocol a caller wraps around the
 * statements (a lock, a session touch, an idempotency record), named like them.
 */
export async function batchByName<
  S extends Statements,
  B extends Statements = None,
  A extends Statements = None,
>(
  db: Db,
  statements: S,
  { before, after }: { before?: B; after?: A } = {},
): Promise<{ named: Results<S>; before: Results<B>; after: Results<A> }> {
  const parts = [before ?? {}, statements, after ?? {}]
  const all = await db.batch(parts.flatMap((part) => Object.values(part)) as NonEmpty)
  let next = 0
  const [namedBefore, named, namedAfter] = parts.map((part) =>
    Object.fromEntries(Object.keys(part).map((name) => [name, all[next++]])),
  )
  return {
    named: named as Results<S>,
    before: namedBefore as Results<B>,
    after: namedAfter as Results<A>,
  }
}
