/**
 * Authors' credential: exactly one `Authorization: Bearer <token>` header naming one of ADMIN_TOKENS
 * (several during a rotation), compared in constant time. Anything else — no header, another scheme,
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

/**
 * Constant time in the token: both sides are hashed to 32 bytes, which are compared in full, and
 * every configured token is compared whatever the outcome of the others.
 */
async function isOneOf(token: string, tokens: readonly string[]) {
  const given = await digest(token)
  let match = false
  for (const expected of tokens) {
    const other = await digest(expected)
    let difference = 0
    for (const [i, byte] of given.entries()) difference |= byte ^ (other[i] ?? 0)
    match ||= difference === 0
  }
  return match
}

const refusal = (reason: SecurityReason, detail: string) =>
  new ApiError('unauthorized', detail, {
    headers: { 'WWW-Authenticate': 'Bearer realm="admin"' },
    reason,
  })

/** Fails closed: without usable ADMIN_TOKENS the admin API is a 500 "misconfigured", never open. */
export const adminAuth = createMiddleware<AppEnv>(async function adminAuth(c, next) {
  const tokens = c.env.ADMIN_TOKENS ?? []
  if (tokens.length === 0 || tokens.some((token) => token.length < MIN_TOKEN_LENGTH)) {
    throw new ApiError('misconfigured', 'The admin API is unavailable: ADMIN_TOKENS is missing or too short.')
  }
  const address = clientAddress(c)
  if (address && (penalised.get(address) ?? 0) > Date.now()) throw tooManyWrongTokens()
  const header = c.req.header('authorization')
  const token = header === undefined ? undefined : BEARER.exec(header)?.[1]
  if (token !== undefined && (await isOneOf(token, tokens))) return next()

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
