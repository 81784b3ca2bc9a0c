import { neon, neonConfig } from '@neondatabase/serverless'
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/neon-http'
import { withReplicas } from 'drizzle-orm/pg-core'
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
  /** An optional read replica: catalogue reads go there, everything in a batch stays on the primary. */
  DATABASE_URL_REPLICA?: string
  /** The local endpoint standing in for the replica (development and tests). */
  NEON_LOCAL_ENDPOINT_REPLICA?: string
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
 * Where the driver sends SQL: Neon's own endpoint, or the local endpoints, chosen by host so the
 * replica's URL reaches the replica's endpoint. fetchEndpoint is only settable on the driver's global
 * config; every isolate has one set of bindings, so setting it on each call is idempotent.
 */
function useEndpoints(config: DatabaseConfig) {
  const primary = config.NEON_LOCAL_ENDPOINT
  if (!primary) {
    neonConfig.fetchEndpoint = neonEndpoint
    return
  }
  const replica = config.NEON_LOCAL_ENDPOINT_REPLICA
  const replicaHost =
    config.DATABASE_URL_REPLICA && replica ? new URL(config.DATABASE_URL_REPLICA).hostname : undefined
  neonConfig.fetchEndpoint = (host: string) => (host === replicaHost && replica ? replica : primary)
}

/** Drizzle over one Neon HTTP client, counting its round trips and retrying batch conflicts. */
function connect(url: string, timeout: number | undefined, stats: DatabaseStats) {
  const client = neon(url, timeout ? { fetchOptions: { signal: AbortSignal.timeout(timeout) } } : {})

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

/**
 * A Drizzle client over Neon's HTTP driver. Cheap to create (no connection is opened), so every
 * request gets its own; each query is one HTTPS round trip and `db.batch()` one transaction.
 *
 * With DATABASE_URL_REPLICA, Drizzle's withReplicas sends single reads (select, relational
 * queries: the catalogue) to the replica and writes to the primary. `batch` is a method it does not
 * carry over, and belongs on the primary anyway: a batch is one transaction, and the learner routes'
 * batches write (last_active_at) and must read their own writes (right after a submit).
 */
export function createDb(config: DatabaseConfig, stats: DatabaseStats = { roundTrips: 0, ms: 0 }) {
  useEndpoints(config)
  const primary = connect(config.DATABASE_URL, config.DB_TIMEOUT_MS, stats)
  if (!config.DATABASE_URL_REPLICA) return primary
  const replica = connect(config.DATABASE_URL_REPLICA, config.DB_TIMEOUT_MS, stats)
  return Object.assign(withReplicas(primary, [replica]), {
    batch: primary.batch.bind(primary),
  }) as typeof primary
}

export type Db = ReturnType<typeof createDb>

/** One `select 1` round trip: does the database answer? */
export const ping = (db: Db) => db.execute(sql`select 1`)
