/**
 * Values the tool hands to a browser and reads back (the login's state, the deep-linking picker's
 * context): JSON, base64url, and an HMAC under a key derived from SESSION_SECRETS for one purpose,
 * so a value sealed for one purpose never opens as another. Signed, not encrypted: nothing secret
 * goes in.
 */
import { fromBase64Url, toBase64Url, utf8 } from '../lib/encoding.ts'
import { type DerivedKeys, verifiedByAny } from '../session/derived-keys.ts'

export async function seal(keys: DerivedKeys, value: unknown): Promise<string> {
  const body = toBase64Url(utf8(JSON.stringify(value)))
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', keys.signing, utf8(body)))
  return `${body}.${toBase64Url(mac)}`
}

/** The value, when one of the keys sealed it; otherwise null (a forged, cut or garbled one too). */
export async function open(keys: DerivedKeys, sealed: string): Promise<unknown> {
  const [body, mac, extra] = sealed.split('.')
  if (!body || !mac || extra !== undefined) return null
  try {
    if (!(await verifiedByAny(keys, fromBase64Url(mac), utf8(body)))) return null
    return JSON.parse(new TextDecoder().decode(fromBase64Url(body)))
  } catch {
    return null
  }
}
