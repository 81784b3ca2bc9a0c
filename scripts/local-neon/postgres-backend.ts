import pg from 'pg'
import type { Backend } from './backend.ts'
import { beginStatement, type FieldDescription, type Statement, type StatementResult } from './protocol.ts'

/** Every value stays in Postgres text format: the driver on the other side parses it. */
const rawText = { getTypeParser: () => (value: string) => value }

/**
 * A real PostgreSQL server behind a pool, so concurrent requests are concurrent, as on Neon.
 * Statements use the extended protocol (as the proxy's query_raw_txt), so one statement per query.
 */
export function createPostgresBackend(connectionString: string, poolSize = 10): Backend {
  const pool = new pg.Pool({ connectionString, max: poolSize })
  // An idle client dying (e.g. the server restarting) must not crash the dev tool.
  pool.on('error', () => undefined)

  async function run(client: pg.PoolClient, { query, params }: Statement): Promise<StatementResult> {
    const result = await client.query({
      text: query,
      values: params,
      rowMode: 'array',
      types: rawText,
      queryMode: 'extended',
    } as pg.QueryArrayConfig)
    const fields: FieldDescription[] = result.fields.map((f) => ({
      name: f.name,
      tableID: f.tableID,
      columnID: f.columnID,
      dataTypeID: f.dataTypeID,
      dataTypeSize: f.dataTypeSize,
      dataTypeModifier: f.dataTypeModifier,
      format: 'text',
    }))
    return { command: result.command ?? '', rowCount: result.rowCount, fields, rows: result.rows }
  }

  return {
    name: 'postgres',
    async execute(statements, transaction, abandoned) {
      const client = await pool.connect()
      let broken: Error | undefined
      // The client went away: cancel what this connection runs (from another one), as Neon does.
      const { processID } = client as pg.PoolClient & { processID: number }
      const cancel = () => void pool.query('SELECT pg_cancel_backend($1)', [processID]).catch(() => undefined)
      abandoned?.addEventListener('abort', cancel, { once: true })
      try {
        if (!transaction) return [await run(client, statements[0] as Statement)]
        await client.query(beginStatement(transaction))
        try {
          const results: StatementResult[] = []
          for (const statement of statements) results.push(await run(client, statement))
          await client.query('COMMIT')
          return results
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => {
            broken = rollbackError
          })
          throw error
        }
      } finally {
        abandoned?.removeEventListener('abort', cancel)
        // As Neon's proxy does, a connection left in a transaction (a stray BEGIN, or one that failed)
        // is discarded, never handed to the next request: it would answer 25P02 there.
        const idle = client.getTransactionStatus() === 'I'
        client.release(broken ?? (idle ? undefined : new Error('left in a transaction: discarded')))
      }
    },
    close: () => pool.end(),
  }
}
