/**
 * JSON Web Tokens as LTI 1.3 uses them: RS256 only, with Web Crypto: a platform's id_token verified
 * against its published key, and the tool's own key imported for what it will sign. Decoding trusts
 * nothing: a token that is not three base64url parts of JSON, or whose header names another
 * algorithm, is refused before any key is looked at.
 */
import { fromBase64Url, toBase64Url, utf8 } from '../lib/encoding.ts'

export type Jwk = JsonWebKey & { kid?: string; alg?: string; use?: string }
type JwtHeader = { alg: string; kid?: string; typ?: string }
type JwtClaims = Record<string, unknown>

export class JwtError extends Error {}

const RS256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const

const json = (part: string): unknown => {
  try {
    return JSON.parse(new TextDecoder().decode(fromBase64Url(part)))
  } catch {
    throw new JwtError('not a JSON Web Token')
  }
}

export type DecodedJwt = {
  header: JwtHeader
  claims: JwtClaims
  signed: string
  signature: Uint8Array<ArrayBuffer>
}

/** The parts of a compact JWT, unverified; RS256 only. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.')
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p)))
    throw new JwtError('not a JSON Web Token')
  const [head, body, signature] = parts as [string, string, string]
  const header = json(head) as JwtHeader
  const claims = json(body)
  if (typeof header !== 'object' || header === null || header.alg !== 'RS256')
    throw new JwtError('its algorithm is not RS256')
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims))
    throw new JwtError('its claims are not an object')
  return {
    header,
    claims: claims as JwtClaims,
    signed: `${head}.${body}`,
    signature: fromBase64Url(signature),
  }
}

/** Whether the token's signature is that of `jwk` (an RSA public key). */
export async function verifiedWith(jwt: DecodedJwt, jwk: Jwk): Promise<boolean> {
  if (jwk.kty !== 'RSA') return false
  const { kty, n, e } = jwk
  try {
    const key = await crypto.subtle.importKey('jwk', { kty, n, e }, RS256, false, ['verify'])
    return await crypto.subtle.verify(RS256, key, jwt.signature, utf8(jwt.signed))
  } catch {
    return false
  }
}

const encodePart = (value: unknown) => toBase64Url(utf8(JSON.stringify(value)))

/** A compact RS256 JWT of `claims`, signed with `key` and naming its `kid`. */
export async function signJwt(claims: JwtClaims, key: CryptoKey, kid: string): Promise<string> {
  const signed = `${encodePart({ alg: 'RS256', typ: 'JWT', kid })}.${encodePart(claims)}`
  const signature = new Uint8Array(await crypto.subtle.sign(RS256, key, utf8(signed)))
  return `${signed}.${toBase64Url(signature)}`
}

/** A private RSA JWK as a signing key. */
export const importSigningKey = (jwk: Jwk) =>
  crypto.subtle.importKey('jwk', { ...jwk, alg: 'RS256', key_ops: ['sign'] }, RS256, false, ['sign'])
