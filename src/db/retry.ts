import { classifyDatabaseError, isRetryableConflict } from './errors.ts'

/** At most two retries: three tries in all. */
const READ_TRIES = 3

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Runs a read again when the database was unreachable or restarting (network errors, proxy 5xx,
 * SQLSTATE 57P01/08006/08003/…, serialization failures), with jittered exponential backoff.
 * Only for reads: a write that timed out may have committed, so writes are never retried blindly
 * (they take an Idempotency-Key instead). The request's database deadline still bounds the total.
 * @see https://neon.com/guides/building-resilient-applications-with-postgres
 */
export async function retryReads<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read()
    } catch (error) {
      const failure = classifyDatabaseError(error)
      // Serialization failures and deadlocks were already retried by the batch itself (createDb).
      const retried = isRetryableConflict(error)
      if (attempt >= READ_TRIES || failure.kind !== 'unavailable' || retried || isDeadline(error)) throw error
      await sleep(25 * 2 ** attempt * (0.5 + Math.random()))
    }
  }
}

/** The request's deadline passed: retrying cannot help. */
function isDeadline(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    const source = (e as { sourceError?: unknown }).sourceError
    if (source instanceof Error && (source.name === 'TimeoutError' || source.name === 'AbortError'))
      return true
  }
  return false
}
