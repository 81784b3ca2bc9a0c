/**
 * Passkeys over JSON: the WebAuthn options the browser is given (the shapes of the WebAuthn JSON
 * serialisation, so `PublicKeyCredential.parseCreationOptionsFromJSON` and friends take them as they
 * are) and the credentials it answers with (as `PublicKeyCredential.toJSON()` makes them). Binary
 * values are base64url without padding.
 */
import * as z from 'zod'
import { text } from '../content/schema.ts'
import type { Passkey } from '../db/schema.ts'
import { refusesPrototypeKeys, Timestamp } from './common.ts'

const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/)
    .meta({ description: 'base64url, unpadded', format: 'base64url' })

/** How an authenticator can be reached ("internal", "hybrid", "usb", …); future values are kept as sent. */
const Transport = z
  .string()
  .regex(/^[a-z][a-z-]{0,31}$/)
  .meta({ example: 'internal' })

const CredentialDescriptor = z.object({
  type: z.literal('public-key'),
  id: base64url(1366),
  transports: z.array(Transport).optional(),
})

const UserVerification = z.literal('required')

export const CreationOptionsSchema = z
  .object({
    publicKey: z.object({
      rp: z.object({ id: z.string(), name: z.string() }),
      user: z.object({ id: base64url(86), name: z.string(), displayName: z.string() }),
      challenge: base64url(86),
      pubKeyCredParams: z.array(z.object({ type: z.literal('public-key'), alg: z.int() })),
      timeout: z.int(),
      excludeCredentials: z.array(CredentialDescriptor),
      authenticatorSelection: z.object({
        residentKey: z.literal('required'),
        requireResidentKey: z.literal(true),
        userVerification: UserVerification,
      }),
      attestation: z.literal('none'),
    }),
  })
  .meta({
    id: 'PasskeyCreationOptions',
    description:
      'For `navigator.credentials.create({ publicKey })` (decode the base64url values, or pass `publicKey` to ' +
      '`PublicKeyCredential.parseCreationOptionsFromJSON`). The challenge is good for one registration within ' +
      '`timeout` milliseconds, by this session only.',
  })

export const MergePreview = z
  .object({
    allowed: z.boolean().meta({
      description:
        'Whether this device’s learner can be merged into the passkey’s: only an anonymous learner (no passkey) ' +
        'signed in on no other device can.',
    }),
    reason: z
      .enum(['has_passkey', 'other_sessions'])
      .nullable()
      .meta({ description: 'Why merging is not allowed; null when it is.' }),
    attempts: z.int().meta({ description: 'Attempts merging would bring over.' }),
    skills: z.int().meta({ description: 'Skills with progress merging would bring over.' }),
    lastActivityAt: Timestamp.nullable().meta({
      description:
        'When this device’s learner last started or completed an attempt; null without attempts. On a shared ' +
        'computer, old progress is likely someone else’s: the learner page offers to merge only recent progress ' +
        'by default.',
    }),
  })
  .meta({ id: 'MergePreview' })

export const RequestOptionsSchema = z
  .object({
    publicKey: z.object({
      challenge: base64url(86),
      rpId: z.string(),
      timeout: z.int(),
      userVerification: UserVerification,
      allowCredentials: z.array(CredentialDescriptor).max(0).meta({
        description:
          'Always empty: the browser offers the passkeys it has for this site (discoverable credentials).',
      }),
    }),
    merge: MergePreview.nullable().meta({
      description:
        'What signing in with `merge: true` would bring over from this device; null without a session.',
    }),
  })
  .meta({
    id: 'PasskeySignInOptions',
    description:
      'For `navigator.credentials.get({ publicKey })`. Nothing here depends on which passkeys exist. The challenge ' +
      'is good for one sign-in within `timeout` milliseconds.',
  })

const AuthenticatorAttachment = z.enum(['platform', 'cross-platform']).nullable().optional()
const ExtensionResults = z
  .record(z.string(), z.unknown())
  .meta({
    description: 'As the browser returned them. Keys that reach into prototypes are refused, as in any body.',
    ...refusesPrototypeKeys,
  })
  .optional()

/** What both kinds of credential carry: the credential id, twice (text and raw), and its type. */
const credentialId = { id: base64url(1366), rawId: base64url(1366), type: z.literal('public-key') }

const RegistrationCredentialSchema = z
  .object({
    ...credentialId,
    response: z.object({
      clientDataJSON: base64url(4096),
      attestationObject: base64url(32_768),
      transports: z.array(Transport).max(8).optional(),
    }),
    authenticatorAttachment: AuthenticatorAttachment,
    clientExtensionResults: ExtensionResults,
  })
  .meta({
    id: 'RegistrationCredential',
    description:
      'What `navigator.credentials.create()` answered, as `PublicKeyCredential.toJSON()` serialises it.',
  })

const AuthenticationCredentialSchema = z
  .object({
    ...credentialId,
    response: z.object({
      clientDataJSON: base64url(4096),
      authenticatorData: base64url(4096),
      signature: base64url(1024),
      userHandle: base64url(86).nullable().optional(),
    }),
    authenticatorAttachment: AuthenticatorAttachment,
    clientExtensionResults: ExtensionResults,
  })
  .meta({
    id: 'AuthenticationCredential',
    description:
      'What `navigator.credentials.get()` answered, as `PublicKeyCredential.toJSON()` serialises it.',
  })

export type RegistrationCredential = z.infer<typeof RegistrationCredentialSchema>
export type AuthenticationCredential = z.infer<typeof AuthenticationCredentialSchema>

const passkeyName = text(60).meta({ example: 'Phone' })

export const RegisterPasskeySchema = z
  .strictObject({
    credential: RegistrationCredentialSchema,
    name: passkeyName
      .optional()
      .meta({ description: 'Defaults to the device it was created on ("Safari on iPhone").' }),
  })
  .meta({ id: 'RegisterPasskey' })

export const RenamePasskeySchema = z.strictObject({ name: passkeyName }).meta({ id: 'RenamePasskey' })

export const SignInWithPasskeySchema = z
  .strictObject({
    credential: AuthenticationCredentialSchema,
    merge: z.boolean().meta({
      description:
        'true: bring this device’s progress over to the passkey’s learner (allowed only when the sign-in options ' +
        'said so). false: switch learners and leave this device’s learner as it is.',
    }),
  })
  .meta({ id: 'SignInWithPasskey' })

export const PasskeySchema = z
  .object({
    id: z.guid(),
    name: z.string(),
    transports: z.array(z.string()),
    backedUp: z.boolean().meta({ description: 'Synced by a passkey provider across the learner’s devices.' }),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Passkey', description: 'A passkey of the learner: never its key.' })

export const presentPasskey = (passkey: Passkey): z.infer<typeof PasskeySchema> => ({
  id: passkey.id,
  name: passkey.name,
  transports: passkey.transports,
  backedUp: passkey.backedUp,
  createdAt: passkey.createdAt.toISOString(),
  lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
})
