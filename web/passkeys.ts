/**
 * Passkeys in the browser: the API's JSON options become `navigator.credentials` calls and the
 * answers go back as JSON (base64url for binary, as `PublicKeyCredential.toJSON()` would make them;
 * written out here so browsers without those helpers work too).
 */
import { api, read } from './api.ts'

const toBuffer = (base64url: string) => {
  const binary = atob(base64url.replaceAll('-', '+').replaceAll('_', '/'))
  return Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer
}

const toBase64Url = (buffer: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')

/** Whether this browser can use passkeys at all (and, when it can, whether this device has its own). */
export async function passkeySupport(): Promise<'none' | 'other-devices' | 'this-device'> {
  if (!window.PublicKeyCredential || !navigator.credentials) return 'none'
  try {
    return (await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable())
      ? 'this-device'
      : 'other-devices'
  } catch {
    return 'other-devices'
  }
}

/** What to tell a person when the browser's passkey dialog did not end in a passkey. */
export function describePasskeyError(error: unknown): string | null {
  if (!(error instanceof DOMException)) return null
  switch (error.name) {
    case 'NotAllowedError':
      return 'The passkey request was cancelled or timed out.'
    case 'InvalidStateError':
      return 'This device already holds a passkey for your progress.'
    case 'SecurityError':
      return 'Passkeys only work on https (or on localhost): this address cannot use them.'
    case 'NotSupportedError':
      return 'This browser or device cannot create a passkey of a kind this site accepts.'
    default:
      return `The passkey request failed (${error.name}).`
  }
}

/** "Keep your progress on other devices": creates a passkey for the current learner and stores it. */
export async function createPasskey() {
  const { publicKey } = await read(api.v1.me.passkeys.options.$post())
  const created = (await navigator.credentials.create({
    publicKey: {
      ...publicKey,
      challenge: toBuffer(publicKey.challenge),
      user: { ...publicKey.user, id: toBuffer(publicKey.user.id) },
      excludeCredentials: publicKey.excludeCredentials.map((c) => ({
        ...c,
        id: toBuffer(c.id),
        transports: c.transports as AuthenticatorTransport[] | undefined,
      })),
    },
  })) as PublicKeyCredential | null
  if (!created) throw new DOMException('No passkey was created.', 'NotAllowedError')
  const response = created.response as AuthenticatorAttestationResponse
  return read(
    api.v1.me.passkeys.$post({
      json: {
        credential: {
          id: created.id,
          rawId: toBase64Url(created.rawId),
          type: 'public-key',
          response: {
            clientDataJSON: toBase64Url(response.clientDataJSON),
            attestationObject: toBase64Url(response.attestationObject),
            transports: response.getTransports?.() ?? [],
          },
          authenticatorAttachment: created.authenticatorAttachment as 'platform' | 'cross-platform' | null,
          clientExtensionResults: {},
        },
      },
    }),
  )
}

/** The sign-in options, with what merging would bring over from this device. */
export const signInOptions = () => read(api.v1.session.passkey.options.$post())

type SignInOptions = Awaited<ReturnType<typeof signInOptions>>

/** "Sign in with a passkey": asks the browser for one of this site's passkeys and signs in with it. */
export async function signInWithPasskey(options: SignInOptions, merge: boolean) {
  const { publicKey } = options
  const assertion = (await navigator.credentials.get({
    publicKey: { ...publicKey, challenge: toBuffer(publicKey.challenge), allowCredentials: [] },
  })) as PublicKeyCredential | null
  if (!assertion) throw new DOMException('No passkey was chosen.', 'NotAllowedError')
  const response = assertion.response as AuthenticatorAssertionResponse
  return read(
    api.v1.session.passkey.$post({
      json: {
        credential: {
          id: assertion.id,
          rawId: toBase64Url(assertion.rawId),
          type: 'public-key',
          response: {
            clientDataJSON: toBase64Url(response.clientDataJSON),
            authenticatorData: toBase64Url(response.authenticatorData),
            signature: toBase64Url(response.signature),
            userHandle: response.userHandle ? toBase64Url(response.userHandle) : null,
          },
          authenticatorAttachment: assertion.authenticatorAttachment as 'platform' | 'cross-platform' | null,
          clientExtensionResults: {},
        },
        merge,
      },
    }),
  )
}
