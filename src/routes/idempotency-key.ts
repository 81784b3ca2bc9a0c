import type { Context } from 'hono'
import { type IdempotencyRequest, idempotencyOf } from '../progress/write/idempotency.ts'
import type { AppEnv } from '../types.ts'

/**
 * The request's Idempotency-Key (declared by `IdempotencyKeyHeader`), fingerprinted with its method,
 * path and, for a route that takes one (`body: true`), its body as sent; null without a key. A
 * malformed key is a 400.
 */
export async function idempotencyKeyOf(
  c: Context<AppEnv>,
  { body }: { body: boolean },
): Promise<IdempotencyRequest | null> {
  const header = c.req.header('idempotency-key')
  if (header === undefined) return null
  return idempotencyOf(header, c.req.method, c.req.path, body ? await c.req.text() : '')
}
