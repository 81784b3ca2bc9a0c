/**
 * HMAC keys for other purposes than the session cookie, derived from SESSION_SECRETS with HKDF: one
 * secret to manage and rotate, and a key per purpose, so a value signed for one purpose (a passkey
 * challenge, say) never verifies as another (a cookie). The first secret's key signs, all verify.
 */
import { utf8 } from '../lib/encoding.ts'
import { sessionKeys } from './cookie.ts'

export type DerivedKeys = { signing: CryptoKey; verifying: CryptoKey[] }

const derived = new Map<string, WeakMap<readonly string[], Promise<DerivedKeys | null>>>()

async function derive(secret: string, purpose: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', utf8(secret), 'HKDF', false, ['deriveKey'])
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8('learning-progress-api'), info: utf8(purpose) },
    base,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign', 'verify'],
  )
}

/** The keys for `purpose`, imported once per isolate; null when SESSION_SECRETS is not usable. */
export function derivedKeys(
  secrets: readonly string[] | undefined,
  purpose: string,
): Promise<DerivedKeys | null> {
  if (!secrets) return Promise.resolve(null)
  let byList = derived.get(purpose)
  if (!byList) {
    byList = new WeakMap()
    derived.set(purpose, byList)
  }
  let keys = byList.get(secrets)
  if (!keys) {
    keys = sessionKeys(secrets).then(async (usable) => {
      if (!usable) return null
      const [signing, ...rest] = await Promise.all(secrets.map((secret) => derive(secret, purpose)))
      return { signing: signing as CryptoKey, verifying: [signing as CryptoKey, ...rest] }
    })
    byList.set(secrets, keys)
  }
  return keys
}

/** Whether `mac` is the HMAC of `data` under one of the keys (the signing key first, then older ones). */
export async function verifiedByAny(keys: DerivedKeys, mac: BufferSource, data: BufferSource) {
  for (const key of keys.verifying) {
    if (await crypto.subtle.verify('HMAC', key, mac, data)) return true
  }
  return false
}
