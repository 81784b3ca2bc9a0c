/**
 * WebAuthn verification on Web Crypto. `@oslojs/webauthn` and `@oslojs/cbor` parse the binary
 * formats (client data, the CBOR attestation object, authenticator data, COSE keys); every check a relying party must make is
 * here, and signatures are verified by `crypto.subtle`. Public keys are stored as JWKs, ready to
 * import. Supported: ES256 (P-256, what platform authenticators and password managers use) and RS256
 * (Windows Hello).
 *
 * Attestation is not requested (`attestation: "none"`) and not verified: a passkey is trusted as the
 * learner's because their live session registered it, not because of who made the authenticator.
 */
import { decodeCBORToNativeValueNoLeftoverBytes } from '@oslojs/cbor'
import {
  type AuthenticatorData,
  ClientDataType,
  COSEKeyType,
  type COSEPublicKey,
  coseAlgorithmES256,
  coseAlgorithmRS256,
  coseEllipticCurveP256,
  createAssertionSignatureMessage,
  parseAuthenticatorData,
  parseClientDataJSON,
} from '@oslojs/webauthn'
import { ApiError, type PasskeyRefusal } from '../errors.ts'
import { fromBase64Url, toBase64Url } from '../lib/encoding.ts'
import type { AuthenticationCredential, RegistrationCredential } from '../schemas/passkeys.ts'

/** Who this relying party is: from WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS. */
export type RelyingParty = { id: string; origins: readonly string[] }

/** The algorithms offered to authenticators, in order of preference. */
export const ALGORITHMS = [coseAlgorithmES256, coseAlgorithmRS256] as const

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const
const MIN_RSA_BITS = 2048

/** The backup flags of authenticator data (BE, BS), which @oslojs/webauthn does not expose. */
const BACKUP_ELIGIBLE = 0x08
const BACKED_UP = 0x10

export const refused = (reason: PasskeyRefusal, detail: string) =>
  new ApiError('passkey_refused', detail, { reason })

/** base64url of the request, strictly: one spelling per value, so a credential id has one key. */
function decode(value: string, field: string): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array<ArrayBuffer>
  try {
    bytes = fromBase64Url(value)
  } catch {
    throw refused('passkey_malformed', `${field} is not base64url.`)
  }
  if (toBase64Url(bytes) !== value) throw refused('passkey_malformed', `${field} is not canonical base64url.`)
  return bytes
}

const parsed = <T>(parse: () => T, field: string): T => {
  try {
    return parse()
  } catch {
    throw refused('passkey_malformed', `${field} cannot be parsed.`)
  }
}

/** The client data: of the expected ceremony, from an allowed origin, not embedded cross-origin. */
function checkClientData(encoded: string, type: ClientDataType, rp: RelyingParty) {
  const bytes = decode(encoded, 'clientDataJSON')
  const data = parsed(() => parseClientDataJSON(bytes), 'clientDataJSON')
  if (data.type !== type) throw refused('passkey_malformed', 'The client data is for another ceremony.')
  if (!rp.origins.includes(data.origin)) {
    throw refused('passkey_origin', 'The passkey was used from an origin this API does not accept.')
  }
  if (data.crossOrigin === true) {
    throw refused('passkey_origin', 'The passkey was used from a cross-origin frame.')
  }
  return { bytes, challenge: data.challenge }
}

/** The authenticator data: for this RP ID, with the user present and verified. */
function checkAuthenticatorData(data: AuthenticatorData, rp: RelyingParty) {
  if (!data.verifyRelyingPartyIdHash(rp.id)) {
    throw refused('passkey_rp_id', 'The passkey belongs to another site (RP ID hash mismatch).')
  }
  if (!data.userPresent || !data.userVerified) {
    throw refused(
      'passkey_user_verification',
      'The authenticator did not verify the user (PIN or biometrics).',
    )
  }
}

/** 32 bytes big-endian of a P-256 coordinate; `length` 0 means as few bytes as the value needs. */
function bigintBytes(value: bigint, length = 0): Uint8Array {
  let hex = value.toString(16)
  if (hex.length % 2) hex = `0${hex}`
  hex = hex.padStart(length * 2, '0')
  return Uint8Array.from(hex.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16))
}

/** The COSE key as a JWK Web Crypto imports, with its algorithm; a 400 for anything else. */
async function publicKeyJwk(key: COSEPublicKey): Promise<{ jwk: JsonWebKey; algorithm: number }> {
  const unsupported = () =>
    refused('passkey_unsupported_key', 'The passkey’s key type is not supported: use ES256 or RS256.')
  const algorithm = parsed(() => (key.isAlgorithmDefined() ? key.algorithm() : null), 'the public key')
  const type = parsed(() => key.type(), 'the public key')
  if (algorithm === coseAlgorithmES256 && type === COSEKeyType.EC2) {
    const ec2 = parsed(() => key.ec2(), 'the public key')
    if (ec2.curve !== coseEllipticCurveP256) throw unsupported()
    const coordinate = (value: bigint) => toBase64Url(bigintBytes(value, 32))
    const jwk = { kty: 'EC', crv: 'P-256', x: coordinate(ec2.x), y: coordinate(ec2.y) }
    await importable(jwk, ECDSA)
    return { jwk, algorithm }
  }
  if (algorithm === coseAlgorithmRS256 && type === COSEKeyType.RSA) {
    const rsa = parsed(() => key.rsa(), 'the public key')
    if (rsa.n.toString(2).length < MIN_RSA_BITS) throw unsupported()
    const jwk = {
      kty: 'RSA',
      alg: 'RS256',
      n: toBase64Url(bigintBytes(rsa.n)),
      e: toBase64Url(bigintBytes(rsa.e)),
    }
    await importable(jwk, RSA)
    return { jwk, algorithm }
  }
  throw unsupported()
}

async function importable(jwk: JsonWebKey, algorithm: typeof ECDSA | typeof RSA) {
  try {
    return await crypto.subtle.importKey('jwk', jwk, algorithm, false, ['verify'])
  } catch {
    throw refused('passkey_unsupported_key', 'The passkey’s public key is not a valid key.')
  }
}

export type VerifiedRegistration = {
  /** The challenge the browser signed over: the caller verifies it (passkeys/challenge.ts). */
  challenge: Uint8Array
  credentialId: string
  publicKey: JsonWebKey
  algorithm: number
  signCount: number
  backupEligible: boolean
  backedUp: boolean
  transports: string[]
}

/** Checks a registration response and returns what to store. */
export async function verifyRegistration(
  credential: RegistrationCredential,
  rp: RelyingParty,
): Promise<VerifiedRegistration> {
  const { challenge } = checkClientData(credential.response.clientDataJSON, ClientDataType.Create, rp)
  const authenticatorBytes = authenticatorDataOf(
    decode(credential.response.attestationObject, 'attestationObject'),
  )
  const authenticatorData = parsed(() => parseAuthenticatorData(authenticatorBytes), 'authenticatorData')
  checkAuthenticatorData(authenticatorData, rp)
  const attested = authenticatorData.credential
  if (!attested) throw refused('passkey_malformed', 'The attestation carries no credential.')
  const credentialId = toBase64Url(attested.id)
  if (credentialId !== credential.rawId || credentialId !== credential.id) {
    throw refused('passkey_malformed', 'The credential id does not match the attested credential.')
  }
  const { jwk, algorithm } = await publicKeyJwk(attested.publicKey)
  return {
    challenge,
    credentialId,
    publicKey: jwk,
    algorithm,
    signCount: authenticatorData.signatureCounter,
    backupEligible: flag(authenticatorBytes, BACKUP_ELIGIBLE),
    backedUp: flag(authenticatorBytes, BACKED_UP),
    transports: [...new Set(credential.response.transports ?? [])],
  }
}

/** The authenticator data inside an attestation object (a CBOR map: fmt, attStmt, authData). */
function authenticatorDataOf(attestationObject: Uint8Array): Uint8Array {
  const decoded = parsed(
    () => decodeCBORToNativeValueNoLeftoverBytes(attestationObject, 4),
    'attestationObject',
  )
  const authData = (decoded as { authData?: unknown } | null)?.authData
  if (!(authData instanceof Uint8Array))
    throw refused('passkey_malformed', 'attestationObject has no authData.')
  return authData
}

/** The flags byte follows the 32-byte RP ID hash. */
const flag = (authenticatorData: Uint8Array, bit: number) => ((authenticatorData[32] ?? 0) & bit) !== 0

/** A stored passkey, as sign-in needs it. */
export type StoredPasskey = {
  publicKey: JsonWebKey
  algorithm: number
  signCount: number
  backupEligible: boolean
  /** The WebAuthn user handle it was registered under. */
  userHandle: string
}

export type VerifiedAssertion = { challenge: Uint8Array; signCount: number; backedUp: boolean }

/**
 * Checks a sign-in response against the stored passkey: client data, authenticator data, the
 * signature over both, the user handle. The counter is checked by the sign-in's write, after the
 * challenge is used (passkeys/statements.ts): a replayed assertion is told it was replayed, and two
 * sign-ins racing with one counter cannot both pass.
 */
export async function verifyAssertion(
  credential: AuthenticationCredential,
  passkey: StoredPasskey,
  rp: RelyingParty,
): Promise<VerifiedAssertion> {
  const clientData = checkClientData(credential.response.clientDataJSON, ClientDataType.Get, rp)
  const authenticatorBytes = decode(credential.response.authenticatorData, 'authenticatorData')
  const data = parsed(() => parseAuthenticatorData(authenticatorBytes), 'authenticatorData')
  checkAuthenticatorData(data, rp)
  const { userHandle } = credential.response
  if (userHandle != null && userHandle !== passkey.userHandle) {
    throw refused('passkey_signature', 'The passkey answered for another user.')
  }
  // Backup eligibility is fixed when a credential is made: a change means another credential's data.
  if (flag(authenticatorBytes, BACKUP_ELIGIBLE) !== passkey.backupEligible) {
    throw refused('passkey_malformed', 'The passkey’s backup eligibility changed since it was registered.')
  }
  const message = createAssertionSignatureMessage(authenticatorBytes, clientData.bytes)
  const signature = decode(credential.response.signature, 'signature')
  if (!(await signatureHolds(passkey, signature, message))) {
    throw refused('passkey_signature', 'The passkey’s signature does not verify.')
  }
  return {
    challenge: clientData.challenge,
    signCount: data.signatureCounter,
    backedUp: flag(authenticatorBytes, BACKED_UP),
  }
}

async function signatureHolds(
  passkey: StoredPasskey,
  signature: Uint8Array<ArrayBuffer>,
  message: Uint8Array,
) {
  const data = new Uint8Array(message)
  if (passkey.algorithm === coseAlgorithmES256) {
    const raw = p256SignatureFromDer(signature)
    if (!raw) return false
    const key = await importable(passkey.publicKey, ECDSA)
    return crypto.subtle.verify(ECDSA, key, raw, data)
  }
  if (passkey.algorithm === coseAlgorithmRS256) {
    const key = await importable(passkey.publicKey, RSA)
    return crypto.subtle.verify(RSA, key, signature, data)
  }
  return false
}

/**
 * WebAuthn sends ECDSA signatures DER-encoded (a SEQUENCE of the INTEGERs r and s); Web Crypto
 * verifies the fixed-size r‖s form. Strict DER only: anything else is null, and fails to verify.
 */
export function p256SignatureFromDer(der: Uint8Array): Uint8Array<ArrayBuffer> | null {
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) return null
  const raw = new Uint8Array(64)
  let at = 2
  for (const offset of [0, 32]) {
    const length = der[at + 1] ?? 0
    if (der[at] !== 0x02 || length < 1 || at + 2 + length > der.length) return null
    let value = der.subarray(at + 2, at + 2 + length)
    // A leading zero only where the next byte would read as negative; no negative numbers.
    if (value[0] === 0 && value.length > 1) {
      if (((value[1] ?? 0) & 0x80) === 0) return null
      value = value.subarray(1)
    } else if ((value[0] ?? 0) & 0x80) return null
    if (value.length > 32) return null
    raw.set(value, offset + 32 - value.length)
    at += 2 + length
  }
  return at === der.length ? raw : null
}

/** A learner's WebAuthn user handle: their id's 16 bytes, base64url (no personal data). */
export const userHandleOf = (learnerId: string) =>
  toBase64Url(
    Uint8Array.from(learnerId.replaceAll('-', '').match(/../g) ?? [], (byte) => Number.parseInt(byte, 16)),
  )
