/**
 * One log line per refused request (401, 403, 429), with why it was refused and who sent it — as a
 * keyed hash of the client address, so repeated refusals of one address can be told apart from many
 * without the address itself ever being logged. Never the cookie, the token, or the address.
 */
import type { Context } from 'hono'
import { toHex, utf8 } from '../lib/encoding.ts'
import type { AppEnv } from '../types.ts'

const keys = new WeakMap<readonly string[], Promise<CryptoKey>>()

/**
 * HMAC-SHA256 of the client address (cf-connecting-ip), keyed by a key derived from the current
 * session secret: stable while the secret is, useless to anyone without it. Null when either is
 * missing (local tools, a misconfigured deployment).
 */
async function clientTag(c: Context<AppEnv>): Promise<string | null> {
  const address = c.req.header('cf-connecting-ip')
  const secrets = c.env.SESSION_SECRETS
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

export async function logSecurityEvent(c: Context<AppEnv>, status: number, reason: string) {
  console.warn(
    JSON.stringify({
      level: 'warn',
      event: 'refused',
      requestId: c.get('requestId'),
      method: c.req.method,
      route: c.req.routePath,
      status,
      reason,
      client: await clientTag(c),
    }),
  )
}

/**
 * A credential that was ignored rather than refused (a submit token that does not verify: the
 * request goes on the slower path): logged like a refusal, since a forged one is an attack.
 */
export async function logIgnoredCredential(c: Context<AppEnv>, reason: string) {
  console.warn(
    JSON.stringify({
      level: 'warn',
      event: 'ignored',
      requestId: c.get('requestId'),
      method: c.req.method,
      route: c.req.routePath,
      reason,
      client: await clientTag(c),
    }),
  )
}
