/**
 * `INSERT … SELECT … WHERE`: the row `values` describes (column defaults for the rest, as
 * `.values()` would fill them), inserted only when `when` holds. A batch's write that depends on an
 * earlier statement of the same batch needs this, and `.values()` cannot say it. Chain
 * `.onConflictDoUpdate()` and `.returning()` as usual; the values' types come from their columns.
 */
import { getTableColumns, is, SQL, sql } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Db } from './client.ts'

/** Generated columns take no value (the same rule as drizzle's own insert). */
const isGenerated = (column: PgColumn) =>
  column.generated !== undefined && column.generated.type !== 'byDefault'

const defaultOf = (column: PgColumn) => {
  const value = column.defaultFn ? column.defaultFn() : column.default
  if (value === undefined) return sql`NULL`
  return is(value, SQL) ? value : sql.param(value, column)
}

export function insertWhere<T extends PgTable>(
  db: Db,
  table: T,
  values: { [K in keyof T['$inferInsert']]?: T['$inferInsert'][K] | SQL },
  when: SQL,
) {
  const given = values as Record<string, unknown>
  const row = Object.entries(getTableColumns(table))
    .filter(([, column]) => !isGenerated(column))
    .map(([key, column]) => {
      if (!(key in given)) return defaultOf(column)
      const value = given[key]
      return is(value, SQL) ? value : sql.param(value, column)
    })
  return db.insert(table).select(sql`SELECT ${sql.join(row, sql`, `)} WHERE ${when}`)
}
