/**
 * The tool's own keys (LTI_PRIVATE_KEYS): a JSON array of RSA private JWKs, each with a `kid`. The
 * first signs; all are published at /lti/jwks, so keys rotate as SESSION_SECRETS do: put a new key
 * first, keep the old one until every platform has refetched, then drop it. Parsed and imported once
 * per isolate; a value that is not such a list is treated as no keys (the LTI routes answer 500).
 */
import { importSigningKey, type Jwk } from './jwt.ts'

export type ToolKeys = { signing: { key: CryptoKey; kid: string }; published: Jwk[] }

function parsePrivateKeys(value: string): Jwk[] | null {
  try {
    const keys = JSON.parse(value) as unknown
    if (!Array.isArray(keys) || keys.length === 0) return null
    const usable = keys.every(
      (k) =>
        typeof k === 'object' &&
        k !== null &&
        k.kty === 'RSA' &&
        typeof k.kid === 'string' &&
        k.kid &&
        k.d &&
        k.n &&
        k.e,
    )
    return usable ? (keys as Jwk[]) : null
  } catch {
    return null
  }
}

const cache = new Map<string, Promise<ToolKeys | null>>()

/** The tool's keys, or null when LTI_PRIVATE_KEYS is missing or not a list of RSA private JWKs. */
export function toolKeys(value: string | undefined): Promise<ToolKeys | null> {
  if (!value) return Promise.resolve(null)
  let keys = cache.get(value)
  if (!keys) {
    keys = (async () => {
      const jwks = parsePrivateKeys(value)
      const first = jwks?.[0]
      if (!jwks || !first) return null
      const published = jwks.map(
        (jwk): Jwk => ({ kty: jwk.kty, n: jwk.n, e: jwk.e, kid: jwk.kid, alg: 'RS256', use: 'sig' }),
      )
      return { signing: { key: await importSigningKey(first), kid: first.kid as string }, published }
    })()
    cache.set(value, keys)
  }
  return keys
}
