/**
 * A software authenticator, as a browser with a platform authenticator would answer: real keys from
 * Web Crypto (P-256 or RSA), real CBOR attestation objects (format "none"), real signed assertions.
 * The API verifies what it makes exactly as it verifies a phone's answer; every knob a test turns
 * (origin, RP ID, user verification, counter, signature) makes one thing wrong at a time.
 */
import { fromBase64Url, toBase64Url, utf8 } from '../src/lib/encoding.ts'
import { json, send } from './helpers.ts'

type Json = Record<string, unknown>

// --- a minimal CBOR encoder (RFC 8949): what attestation objects and COSE keys use -----------------

function head(major: number, value: number): number[] {
  if (value < 24) return [(major << 5) | value]
  if (value < 0x100) return [(major << 5) | 24, value]
  if (value < 0x10000) return [(major << 5) | 25, value >> 8, value & 0xff]
  return [(major << 5) | 26, (value >>> 24) & 0xff, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]
}

type Cbor = number | string | Uint8Array | Map<number | string, Cbor>

function cbor(value: Cbor): number[] {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value)
  if (typeof value === 'string') {
    const bytes = utf8(value)
    return [...head(3, bytes.length), ...bytes]
  }
  if (value instanceof Uint8Array) return [...head(2, value.length), ...value]
  return [...head(5, value.size), ...[...value].flatMap(([k, v]) => [...cbor(k), ...cbor(v)])]
}

// --- bytes ---------------------------------------------------------------------------------------

const concat = (...parts: (Uint8Array | number[])[]) => Uint8Array.from(parts.flatMap((part) => [...part]))
const sha256 = async (bytes: Uint8Array) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(bytes)))
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]

/** Web Crypto signs ECDSA as r‖s; WebAuthn sends it DER-encoded (RFC 3279). */
function derSignature(raw: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array) => {
    let i = 0
    while (i < bytes.length - 1 && bytes[i] === 0) i++
    const trimmed = [...bytes.slice(i)]
    const value = (trimmed[0] ?? 0) & 0x80 ? [0, ...trimmed] : trimmed
    return [0x02, value.length, ...value]
  }
  const body = [...integer(raw.slice(0, 32)), ...integer(raw.slice(32))]
  return Uint8Array.from([0x30, body.length, ...body])
}

const FLAGS = { up: 0x01, uv: 0x04, be: 0x08, bs: 0x10, at: 0x40 }

type Algorithm = 'ES256' | 'RS256'

type StoredCredential = {
  id: Uint8Array
  rpId: string
  userHandle: string
  keys: CryptoKeyPair
  algorithm: Algorithm
  signCount: number
}

export type Ceremony = {
  origin?: string
  rpId?: string
  userVerified?: boolean
  /** Another challenge than the options' (base64url). */
  challenge?: string
  /** Claims backup eligibility (or not) against the authenticator's kind. */
  backupEligible?: boolean
  type?: string
  crossOrigin?: boolean
}

export class SoftwareAuthenticator {
  readonly credentials: StoredCredential[] = []

  constructor(
    readonly defaults: {
      origin?: string
      algorithm?: Algorithm
      /** A synced passkey (backup eligible and backed up) that reports a counter of 0 forever. */
      synced?: boolean
      /** Backup eligible and backed up, but counting on its own (as Chrome's virtual authenticator does). */
      counting?: boolean
    } = {},
  ) {}

  get origin() {
    return this.defaults.origin ?? 'http://api.test'
  }

  /** `navigator.credentials.create()`, serialised as `PublicKeyCredential.toJSON()` does. */
  async create(options: { publicKey: Json }, ceremony: Ceremony = {}) {
    const publicKey = options.publicKey as {
      rp: { id: string }
      user: { id: string }
      challenge: string
      excludeCredentials: { id: string }[]
    }
    const excluded = new Set(publicKey.excludeCredentials.map((c) => c.id))
    if (this.credentials.some((c) => excluded.has(toBase64Url(c.id)))) {
      throw new Error('InvalidStateError: this authenticator already holds an excluded credential')
    }
    const algorithm = this.defaults.algorithm ?? 'ES256'
    const keys =
      algorithm === 'ES256'
        ? await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])
        : await crypto.subtle.generateKey(
            {
              name: 'RSASSA-PKCS1-v1_5',
              modulusLength: 2048,
              publicExponent: new Uint8Array([1, 0, 1]),
              hash: 'SHA-256',
            },
            true,
            ['sign', 'verify'],
          )
    const credential: StoredCredential = {
      id: crypto.getRandomValues(new Uint8Array(16)),
      rpId: publicKey.rp.id,
      userHandle: publicKey.user.id,
      keys: keys as CryptoKeyPair,
      algorithm,
      signCount: 0,
    }
    const jwk = (await crypto.subtle.exportKey('jwk', credential.keys.publicKey)) as JsonWebKey
    const coseKey =
      algorithm === 'ES256'
        ? new Map<number, Cbor>([
            [1, 2],
            [3, -7],
            [-1, 1],
            [-2, fromBase64Url(jwk.x as string)],
            [-3, fromBase64Url(jwk.y as string)],
          ])
        : new Map<number, Cbor>([
            [1, 3],
            [3, -257],
            [-1, fromBase64Url(jwk.n as string)],
            [-2, fromBase64Url(jwk.e as string)],
          ])
    const authenticatorData = concat(
      await sha256(utf8(ceremony.rpId ?? credential.rpId)),
      [this.flags(ceremony) | FLAGS.at],
      u32(this.defaults.synced ? 0 : credential.signCount),
      new Uint8Array(16), // AAGUID: none
      [credential.id.length >> 8, credential.id.length & 0xff],
      credential.id,
      cbor(coseKey),
    )
    const attestationObject = Uint8Array.from(
      cbor(
        new Map<string, Cbor>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', authenticatorData],
        ]),
      ),
    )
    this.credentials.push(credential)
    const id = toBase64Url(credential.id)
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: this.clientData('webauthn.create', publicKey.challenge, ceremony),
        attestationObject: toBase64Url(attestationObject),
        transports: ['internal', 'hybrid'],
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    }
  }

  /** `navigator.credentials.get()` with discoverable credentials: the most recent one for the RP. */
  async get(
    options: { publicKey: Json },
    ceremony: Ceremony & { credential?: StoredCredential; tamper?: boolean; signCount?: number } = {},
  ) {
    const publicKey = options.publicKey as { rpId: string; challenge: string }
    const credential = ceremony.credential ?? this.credentials.findLast((c) => c.rpId === publicKey.rpId)
    if (!credential) throw new Error('NotAllowedError: no credential for this RP')
    if (!this.defaults.synced) credential.signCount += 1
    const signCount = ceremony.signCount ?? (this.defaults.synced ? 0 : credential.signCount)
    const authenticatorData = concat(
      await sha256(utf8(ceremony.rpId ?? credential.rpId)),
      [this.flags(ceremony)],
      u32(signCount),
    )
    const clientDataJSON = this.clientData('webauthn.get', publicKey.challenge, ceremony)
    const message = concat(authenticatorData, await sha256(fromBase64Url(clientDataJSON)))
    const raw = new Uint8Array(
      credential.algorithm === 'ES256'
        ? await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, credential.keys.privateKey, message)
        : await crypto.subtle.sign('RSASSA-PKCS1-v1_5', credential.keys.privateKey, message),
    )
    const signature = credential.algorithm === 'ES256' ? derSignature(raw) : raw
    if (ceremony.tamper) signature[signature.length - 1] = (signature[signature.length - 1] ?? 0) ^ 0x01
    const id = toBase64Url(credential.id)
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON,
        authenticatorData: toBase64Url(authenticatorData),
        signature: toBase64Url(signature),
        userHandle: credential.userHandle,
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    }
  }

  /** The id of the newest credential, base64url. */
  lastId() {
    const credential = this.credentials.at(-1)
    if (!credential) throw new Error('no credential yet')
    return toBase64Url(credential.id)
  }

  /** A copy of a credential in another authenticator, as a synced passkey arrives on a new device. */
  copyTo(other: SoftwareAuthenticator, credential = this.credentials.at(-1)) {
    if (!credential) throw new Error('nothing to copy')
    other.credentials.push({ ...credential, signCount: 0 })
  }

  private flags(ceremony: Ceremony) {
    const verified = ceremony.userVerified ?? true
    const eligible = ceremony.backupEligible ?? Boolean(this.defaults.synced || this.defaults.counting)
    return FLAGS.up | (verified ? FLAGS.uv : 0) | (eligible ? FLAGS.be | FLAGS.bs : 0)
  }

  private clientData(type: string, challenge: string, ceremony: Ceremony) {
    return toBase64Url(
      utf8(
        JSON.stringify({
          type: ceremony.type ?? type,
          challenge: ceremony.challenge ?? challenge,
          origin: ceremony.origin ?? this.origin,
          crossOrigin: ceremony.crossOrigin ?? false,
        }),
      ),
    )
  }
}

// --- the two ceremonies through the API ------------------------------------------------------------

export type Options = { publicKey: Record<string, unknown> }

/** Options, create, store: what the learner page does for "Keep your progress on other devices". */
export async function registerPasskey(cookie: string, authenticator: SoftwareAuthenticator, name?: string) {
  const options = await json<Options>(await send('POST', '/v1/me/passkeys/options', { cookie }), 200)
  const credential = await authenticator.create(options)
  return send('POST', '/v1/me/passkeys', { cookie, body: { credential, ...(name && { name }) } })
}

export async function signInOptions(cookie?: string) {
  return json<Options & { merge: unknown }>(
    await send('POST', '/v1/session/passkey/options', { cookie }),
    200,
  )
}

/** Options, get, sign in: "Sign in with a passkey" on a device with `cookie` (or none). */
export async function signIn(
  authenticator: SoftwareAuthenticator,
  {
    cookie,
    merge = false,
    ceremony,
  }: { cookie?: string; merge?: boolean; ceremony?: Parameters<SoftwareAuthenticator['get']>[1] } = {},
) {
  const credential = await authenticator.get(await signInOptions(cookie), ceremony)
  return send('POST', '/v1/session/passkey', { cookie, body: { credential, merge } })
}
