/**
 * One log line per refused request (401, 403, 429), with why it was refused and who sent it — as a
 * keyed hash of the client address, so repeated refusals of one address can be told apart from many
 * without the address itself ever being logged. Never the cookie, the token, or the address.
 */
import { toHex, utf8 } from '../lib/encoding.ts'

/** What a security event says of its request, read off it at the edge (errors.ts, the session middleware). */
export type RequestFacts = {
  requestId: string
  method: string
  /** The route's pattern, never the path (which may hold ids). */
  route: string
  /** cf-connecting-ip: hashed, never logged. */
  clientAddress: string | undefined
  /** SESSION_SECRETS: the first keys the client hash. */
  secrets: readonly string[] | undefined
}

const keys = new WeakMap<readonly string[], Promise<CryptoKey>>()

/**
 * HMAC-SHA256 of the client address (cf-connecting-ip), keyed by a key derived from the current
 * session secret: stable while the secret is, useless to anyone without it. Null when either is
 * missing (local tools, a misconfigured deployment).
 */
async function clientTag({ clientAddress: address, secrets }: RequestFacts): Promise<string | null> {
  const [secret] = secrets ?? []
  if (!address || !secrets || !secret) return null
  let key = keys.get(secrets)
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      utf8(`client-address:${secret}`),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    keys.set(secrets, key)
  }
  const mac = await crypto.subtle.sign('HMAC', await key, utf8(address))
  return toHex(new Uint8Array(mac).slice(0, 12))
}

/** A refused request (401, 403, 429): why, and who sent it. */
export const logSecurityEvent = (request: RequestFacts, status: number, reason: string) =>
  logEvent(request, { event: 'refused', status }, reason)

/**
 * A credential that was ignored rather than refused (a submit token that does not verify: the
 * request goes on the slower path): logged like a refusal, since a forged one is an attack.
 */
export const logIgnoredCredential = (request: RequestFacts, reason: string) =>
  logEvent(request, { event: 'ignored' }, reason)

async function logEvent(
  request: RequestFacts,
  what: { event: 'refused'; status: number } | { event: 'ignored' },
  reason: string,
) {
  console.warn(
    JSON.stringify({
      level: 'warn',
      event: what.event,
      requestId: request.requestId,
      method: request.method,
      route: request.route,
      ...('status' in what && { status: what.status }),
      reason,
      client: await clientTag(request),
    }),
  )
}
