/** Byte encodings used across the API: hex for hashes, base64 and base64url for tokens and cursors. */

const encoder = new TextEncoder()

export const utf8 = (text: string) => encoder.encode(text)

export const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

/** Standard base64 with its padding removed. */
export const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/=+$/, '')

/** RFC 4648 §5: URL- and cookie-safe, unpadded. */
export const toBase64Url = (bytes: Uint8Array) => toBase64(bytes).replaceAll('+', '-').replaceAll('/', '_')

/** The bytes of base64url text; throws on characters outside the alphabet. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'))
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}

/** SHA-256 of UTF-8 text, as 64 hex characters. */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(text))))
}
