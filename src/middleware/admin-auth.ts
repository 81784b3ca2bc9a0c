/**
 * Authors' credential: exactly one `Authorization: Bearer <token>` header naming one of ADMIN_TOKENS,
 * compared in constant time. Each entry is `name:token`, naming its author (an author may have
 * several during a rotation; a bare `token` is the author `admin`). The author is `c.var.author`:
 * every admin write logs one audit line (who, what, which id — never the token) and records them in
 * the row's `updated_by`. Anything else — no header, another scheme,
 * a malformed or repeated header, a wrong token — is a 401 with `WWW-Authenticate: Bearer`. Declared
 * by `adminRoute` (src/routes/define.ts), which also names it in the OpenAPI document.
 *
 * Wrong tokens are a brake on guessing: each counts against ADMIN_AUTH_LIMITER for its client
 * address, and an address over the limit is answered 429 — by this isolate without comparing its
 * tokens at all — until the period ends.
 */
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { ApiError, type SecurityReason } from '../errors.ts'
import { utf8 } from '../lib/encoding.ts'
import type { AppEnv } from '../types.ts'
import { clientAddress, enforceLimit, PERIOD_SECONDS } from './rate-limit.ts'

const MIN_TOKEN_LENGTH = 16
/** RFC 6750 §2.1: `Bearer` and a b64token, nothing before or after. */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/

/** Addresses over the wrong-token limit in this isolate, until when (ms). */
const penalised = new Map<string, number>()

const digest = async (text: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(text)))

/** An entry of ADMIN_TOKENS: `name:token`, or a bare token (the author `admin`). */
export function authorToken(entry: string) {
  const colon = entry.indexOf(':')
  return colon < 0
    ? { author: 'admin', token: entry }
    : { author: entry.slice(0, colon).trim() || 'admin', token: entry.slice(colon + 1).trim() }
}

/**
 * The author whose token this is, or undefined. Constant time in the token: both sides are hashed
 * to 32 bytes, which are compared in full, and every configured token is compared whatever the
 * outcome of the others.
 */
async function authorOf(token: string, entries: readonly { author: string; token: string }[]) {
  const given = await digest(token)
  let author: string | undefined
  for (const entry of entries) {
    const other = await digest(entry.token)
    let difference = 0
    for (const [i, byte] of given.entries()) difference |= byte ^ (other[i] ?? 0)
    if (difference === 0) author ??= entry.author
  }
  return author
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** One line per admin write: who did what to which id, and the outcome. Never the token. */
function audit(c: Context<AppEnv>, author: string) {
  console.log(
    JSON.stringify({
      level: 'info',
      message: 'admin write',
      requestId: c.get('requestId'),
      author,
      method: c.req.method,
      route: c.req.routePath,
      ids: c.req.param(),
      ...c.get('auditDetails'),
      status: c.res.status,
    }),
  )
}

const refusal = (reason: SecurityReason, detail: string) =>
  new ApiError('unauthorized', detail, {
    headers: { 'WWW-Authenticate': 'Bearer realm="admin"' },
    reason,
  })

/** Fails closed: without usable ADMIN_TOKENS the admin API is a 500 "misconfigured", never open. */
export const adminAuth = createMiddleware<AppEnv>(async function adminAuth(c, next) {
  const entries = (c.env.ADMIN_TOKENS ?? []).map(authorToken)
  if (entries.length === 0 || entries.some(({ token }) => token.length < MIN_TOKEN_LENGTH)) {
    throw new ApiError('misconfigured', 'The admin API is unavailable: ADMIN_TOKENS is missing or too short.')
  }
  const address = clientAddress(c)
  if (address && (penalised.get(address) ?? 0) > Date.now()) throw tooManyWrongTokens()
  const header = c.req.header('authorization')
  const token = header === undefined ? undefined : BEARER.exec(header)?.[1]
  const author = token === undefined ? undefined : await authorOf(token, entries)
  if (author !== undefined) {
    c.set('author', author)
    await next()
    if (WRITES.has(c.req.method)) audit(c, author)
    return
  }

  await countWrongToken(c, address)
  if (header === undefined)
    throw refusal('missing_admin_token', 'Send an admin token: Authorization: Bearer <token>.')
  if (token === undefined)
    throw refusal('malformed_authorization', 'The Authorization header must be one Bearer token.')
  throw refusal('wrong_admin_token', 'The admin token is not valid.')
})

const tooManyWrongTokens = () =>
  new ApiError('rate_limited', 'Too many wrong admin tokens from this address; try again later.', {
    headers: { 'Retry-After': String(PERIOD_SECONDS) },
    reason: 'rate_limited',
  })

function penalise(address: string) {
  const now = Date.now()
  for (const [known, until] of penalised) if (until <= now) penalised.delete(known)
  penalised.set(address, now + PERIOD_SECONDS * 1000)
}

async function countWrongToken(c: Context<AppEnv>, address: string | undefined) {
  try {
    await enforceLimit(c, 'ADMIN_AUTH_LIMITER', address)
  } catch (error) {
    if (address) penalise(address)
    throw error instanceof ApiError ? tooManyWrongTokens() : error
  }
}
