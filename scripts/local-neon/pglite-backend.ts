import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { serialize } from 'pg-protocol'
import type {
  BackendMessage,
  CommandCompleteMessage,
  DataRowMessage,
  ReadyForQueryMessage,
  RowDescriptionMessage,
} from 'pg-protocol/dist/messages.js'
import { Parser } from 'pg-protocol/dist/parser.js'
import type { Backend } from './backend.ts'
import {
  beginStatement,
  type FieldDescription,
  parseCommandTag,
  type Statement,
  type StatementResult,
} from './protocol.ts'

/**
 * Embedded PGlite, spoken to in the wire protocol (Parse/Bind/Describe/Execute/Sync) so that params
 * go in as text with types inferred by Postgres, and rows, field descriptions, command tags and error
 * fields come back exactly as a PostgreSQL server sends them — which is what Neon's proxy relays.
 * PGlite has one connection, so requests run one at a time.
 */
export async function createPgliteBackend(dataDir?: string): Promise<Backend> {
  // pg_trgm, as on Neon: search's typo fallback (the migrations create the extension).
  const db = await PGlite.create(dataDir, { extensions: { pg_trgm } })
  let queue: Promise<unknown> = Promise.resolve()
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn)
    queue = run.catch(() => undefined)
    return run
  }

  /** The connection's transaction status as its last ReadyForQuery said: `I` idle, `T` or `E` in one. */
  let status = 'I'

  async function exchange(message: Buffer): Promise<BackendMessage[]> {
    const raw = await db.execProtocolRaw(message)
    const messages: BackendMessage[] = []
    new Parser().parse(Buffer.from(raw), (msg) => {
      if (msg.name === 'readyForQuery') status = (msg as ReadyForQueryMessage).status
      messages.push(msg)
    })
    const error = messages.find((msg) => msg.name === 'error')
    if (error) throw error
    return messages
  }

  async function run({ query, params }: Statement): Promise<StatementResult> {
    const messages = await exchange(
      Buffer.concat([
        serialize.parse({ text: query }),
        serialize.bind({ values: params }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
    )
    let fields: FieldDescription[] = []
    const rows: (string | null)[][] = []
    let tag = ''
    for (const msg of messages) {
      if (msg.name === 'rowDescription') {
        fields = (msg as RowDescriptionMessage).fields.map((f) => ({ ...f, format: 'text' as const }))
      } else if (msg.name === 'dataRow') {
        rows.push((msg as DataRowMessage).fields)
      } else if (msg.name === 'commandComplete') {
        tag = (msg as CommandCompleteMessage).text
      }
    }
    return { ...parseCommandTag(tag), fields, rows }
  }

  const simple = (text: string) => exchange(serialize.query(text))

  /**
   * PGlite has one connection, which Neon would discard when a request leaves it in a transaction (a
   * stray BEGIN, or one that failed): here it is rolled back instead, so the next request starts idle.
   */
  async function leaveIdle() {
    // Every exchange ends in a Sync, so the status is already known: no extra exchange per query.
    if (status !== 'I') await simple('ROLLBACK')
  }

  return {
    name: 'pglite',
    execute: (statements, transaction) =>
      exclusive(async () => {
        if (!transaction) {
          try {
            return [await run(statements[0] as Statement)]
          } finally {
            await leaveIdle()
          }
        }
        await simple(beginStatement(transaction))
        try {
          const results: StatementResult[] = []
          for (const statement of statements) results.push(await run(statement))
          await simple('COMMIT')
          return results
        } catch (error) {
          await simple('ROLLBACK')
          throw error
        }
      }),
    close: () => exclusive(() => db.close()),
  }
}
