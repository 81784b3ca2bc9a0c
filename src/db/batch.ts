import type { BatchItem } from 'drizzle-orm/batch'
import type { Db } from './client.ts'

/** Statements of one batch, each under the name of what it is for. */
export type Statements = Record<string, BatchItem<'pg'>>

/** What each named statement returned. */
export type Results<S extends Statements> = { [K in keyof S]: S[K]['_']['result'] }

type NonEmpty = [BatchItem<'pg'>, ...BatchItem<'pg'>[]]

/**
 * One round trip and one transaction (neon-http's `db.batch`): `before`, the named statements, then
 * `after`, in that order. The named statements' results come back by name, so adding a statement
 * never shifts another's result; `before` and `after` (the protocol a caller wraps around them)
 * come back as lists.
 */
export async function batchByName<S extends Statements>(
  db: Db,
  statements: S,
  { before = [], after = [] }: { before?: BatchItem<'pg'>[]; after?: BatchItem<'pg'>[] } = {},
): Promise<{ named: Results<S>; before: unknown[]; after: unknown[] }> {
  const names = Object.keys(statements)
  const all = await db.batch([...before, ...Object.values(statements), ...after] as NonEmpty)
  const named = Object.fromEntries(names.map((name, i) => [name, all[before.length + i]])) as Results<S>
  return { named, before: all.slice(0, before.length), after: all.slice(before.length + names.length) }
}
