import { classifyDatabaseError, isRetryableConflict } from './errors.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export type RetryPolicy = {
  /** Tries in all, the first included. */
  tries: number
  /** Whether this failure is worth another try. */
  retryOn: (error: unknown) => boolean
  /** The wait before try `attempt + 1`, in milliseconds: jittered, so that retries do not march in step. */
  delayMs: (attempt: number) => number
}

/** Runs `work`, again on the failures the policy names, at most `tries` times; then the last error. */
export async function withRetries<T>(
  work: (attempt: number) => Promise<T>,
  { tries, retryOn, delayMs }: RetryPolicy,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt)
    } catch (error) {
      if (attempt >= tries || !retryOn(error)) throw error
      await sleep(delayMs(attempt))
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

/**
 * Reads run again when the database was unreachable or restarting (network errors, proxy 5xx,
 * SQLSTATE 57P01/08006/08003/…): three tries, jittered exponential backoff. Only for reads: a write
 * that timed out may have committed, so writes are never retried blindly (they take an
 * Idempotency-Key instead). Serialization failures and deadlocks were already retried by the batch
 * itself (createDb), and the request's deadline still bounds the total.
 * @see https://neon.com/guides/building-resilient-applications-with-postgres
 */
export const retryReads = <T>(read: () => Promise<T>) =>
  withRetries(read, {
    tries: 3,
    retryOn: (error) =>
      classifyDatabaseError(error).kind === 'unavailable' &&
      !isRetryableConflict(error) &&
      !isDeadline(error),
    delayMs: (attempt) => 25 * 2 ** attempt * (0.5 + Math.random()),
  })
