/**
 * What a database failure means for the client. neon-http throws a `NeonDbError` (with a SQLSTATE
 * `code` for Postgres errors, or none for network and HTTP failures); Drizzle wraps single queries in
 * a `DrizzleQueryError` whose message holds SQL and params, so only its `cause` is read here.
 */
export type DatabaseFailure =
  | { kind: 'unavailable'; sqlstate?: string }
  | { kind: 'unique_violation'; sqlstate: string }
  | { kind: 'foreign_key_violation'; sqlstate: string }
  | { kind: 'invalid_input'; sqlstate: string }
  | { kind: 'other'; sqlstate?: string }
  | { kind: 'not_database'; sqlstate?: undefined }

/**
 * A value Postgres refused to store: invalid text for a type (22P02, e.g. a lone surrogate in jsonb),
 * an untranslatable character (22P05, 22021), an impossible date or time (22007, 22008). Validation
 * refuses these first; reaching the database with one is a 400 for the client and a bug for us.
 */
const INVALID_INPUT = new Set(['22P02', '22P05', '22021', '22007', '22008'])

/** Connection lost, server shutting down or starting, serialization failure or deadlock: worth a retry. */
const TRANSIENT = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', '40001', '40P01'])

type NeonDbError = Error & { code?: string; constraint?: string; sourceError?: unknown }

function neonError(error: unknown): NeonDbError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 3; depth++) {
    if (current.name === 'NeonDbError') return current
    current = current.cause
  }
  return undefined
}

/** The SQLSTATE of a Postgres error anywhere in the cause chain (Drizzle wraps the driver's). */
const sqlstateOf = (error: unknown): string | undefined => neonError(error)?.code

/** The SQLSTATE of this API's own batch assertions (drizzle/0006_batch_assertions.sql). */
const ASSERTION_FAILED = 'LP409'

/** The name of the batch assertion that rolled a batch back, if that is what happened. */
export function failedAssertionOf(error: unknown): string | undefined {
  const neon = neonError(error)
  return neon?.code === ASSERTION_FAILED ? neon.constraint : undefined
}

/** Postgres aborted the transaction (serialization failure, deadlock): nothing of it was applied. */
export function isRetryableConflict(error: unknown): boolean {
  const code = sqlstateOf(error)
  return code === '40001' || code === '40P01'
}

export function classifyDatabaseError(error: unknown): DatabaseFailure {
  const neon = neonError(error)
  if (!neon) return { kind: 'not_database' }
  const sqlstate = typeof neon.code === 'string' ? neon.code : undefined
  if (!sqlstate) {
    // No SQLSTATE: the request never reached Postgres ("Error connecting to database: …") or the
    // proxy refused it ("Server error (HTTP status N): …"); only a proxy-side 5xx is worth retrying.
    const httpStatus = Number(/HTTP status (\d{3})/.exec(neon.message)?.[1] ?? 0)
    const unreachable = !httpStatus || (httpStatus >= 500 && httpStatus !== 507)
    return unreachable ? { kind: 'unavailable' } : { kind: 'other' }
  }
  if (TRANSIENT.has(sqlstate)) return { kind: 'unavailable', sqlstate }
  if (sqlstate === '23505') return { kind: 'unique_violation', sqlstate }
  if (sqlstate === '23503') return { kind: 'foreign_key_violation', sqlstate }
  if (INVALID_INPUT.has(sqlstate)) return { kind: 'invalid_input', sqlstate }
  return { kind: 'other', sqlstate }
}

/**
 * What may be logged about a failure. A Postgres message can quote parameter values, and a
 * DrizzleQueryError's message is SQL plus params, so database errors log only their SQLSTATE, or,
 * when Postgres was never reached, the driver's own connection message.
 */
export function describeForLog(error: unknown): {
  error: string
  sqlstate?: string
  assertion?: string
  message?: string
} {
  const neon = neonError(error)
  if (neon) {
    if (typeof neon.code !== 'string') return { error: neon.name, message: neon.message.slice(0, 200) }
    // An assertion's name is ours (never a value): it says which one failed.
    const assertion = failedAssertionOf(error)
    return { error: neon.name, sqlstate: neon.code, ...(assertion && { assertion }) }
  }
  if (error instanceof Error) return { error: error.name, message: error.message.slice(0, 200) }
  return { error: typeof error }
}
