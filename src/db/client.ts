import { neon, neonConfig } from '@neondatabase/serverless'
import { drizzle } from 'drizzle-orm/neon-http'
import { isRetryableConflict } from './errors.ts'
import { type RetryPolicy, withRetries } from './retry.ts'
import * as schema from './schema.ts'

export type DatabaseConfig = {
  DATABASE_URL: string
  /** Only for development and tests: the local Neon-compatible endpoint (scripts/local-neon). */
  NEON_LOCAL_ENDPOINT?: string
  /**
   * A deadline for every database call made through this client, from its creation. The driver has
   * none of its own: without it a hung connection would hold the request until the platform kills it.
   */
  DB_TIMEOUT_MS?: number
}

const neonEndpoint = neonConfig.fetchEndpoint

/**
 * A batch is one transaction that Postgres rolled back whole when it reports 40001/40P01, so sending
 * it again is safe; a few jittered retries turn a rare conflict into a slower success.
 */
const conflictRetries: RetryPolicy = {
  tries: 3,
  retryOn: isRetryableConflict,
  delayMs: (attempt) => Math.random() * 20 * 2 ** attempt,
}

/** Round trips to the database and the time spent waiting for them, for the request log. */
export type DatabaseStats = { roundTrips: number; ms: number }

/**
 * A Drizzle client over Neon's HTTP driver. Cheap to create (no connection is opened), so every
 * request gets its own; each query is one HTTPS round trip and `db.batch()` one transaction.
 */
export function createDb(config: DatabaseConfig, stats: DatabaseStats = { roundTrips: 0, ms: 0 }) {
  const endpoint = config.NEON_LOCAL_ENDPOINT
  // fetchEndpoint is only settable on the driver's global config, not per client. Every isolate
  // has one set of bindings, so writing it on each call is idempotent.
  neonConfig.fetchEndpoint = endpoint ? () => endpoint : neonEndpoint
  const timeout = config.DB_TIMEOUT_MS
  const client = neon(
    config.DATABASE_URL,
    timeout ? { fetchOptions: { signal: AbortSignal.timeout(timeout) } } : {},
  )

  const measured = <T>(run: () => Promise<T>): Promise<T> => {
    stats.roundTrips++
    const started = performance.now()
    return run().finally(() => {
      stats.ms += performance.now() - started
    })
  }

  // A single query runs when awaited: count it in its own then(). Batches build query objects
  // without awaiting them, so those are counted once, by transaction() below.
  const query = client.query
  client.query = ((text, params, options) => {
    const pending = query(text, params, options)
    const then = pending.then.bind(pending)
    // biome-ignore lint/suspicious/noThenProperty: the driver's query is a thenable; its then() is where it runs.
    pending.then = ((onfulfilled, onrejected) =>
      measured(() => then()).then(onfulfilled, onrejected)) as typeof pending.then
    return pending
  }) as typeof query

  const transaction = client.transaction
  client.transaction = ((queries, options) =>
    withRetries(() => measured(() => transaction(queries, options)), conflictRetries)) as typeof transaction

  return drizzle({ client, schema, casing: 'snake_case' })
}

export type Db = ReturnType<typeof createDb>
