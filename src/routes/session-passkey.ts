/**
 * Signing in with a passkey, on any device: options (a signed challenge; no user name, so nothing
 * about which passkeys exist), then the browser's answer. Both are limited per client address.
 */
import * as z from 'zod'
import { PRIVATE } from '../http/cache-control.ts'
import { limitPasskeySignIn } from '../middleware/rate-limit.ts'
import { jsonBody, jsonResponse, problemResponses } from '../openapi.ts'
import { issueChallenge } from '../passkeys/challenge.ts'
import { relyingParty, requestOptions } from '../passkeys/options.ts'
import { mergePreviewFor, signInWithPasskey } from '../passkeys/sign-in.ts'
import { createRouter } from '../router.ts'
import { LearnerSchema } from '../schemas/learner.ts'
import { RequestOptionsSchema, SignInWithPasskeySchema } from '../schemas/passkeys.ts'
import { presentLearner } from '../session/learner.ts'
import { sessionScope } from '../session/middleware.ts'
import { sessionRoute } from './define.ts'

const SignedInSchema = z
  .object({
    learner: LearnerSchema,
    merged: z
      .object({
        attempts: z.int().meta({ description: 'Attempts brought over from this device’s learner.' }),
        skills: z.int().meta({ description: 'Skill states recomputed from both histories.' }),
      })
      .nullable()
      .meta({ description: 'What the merge brought over; null when nothing was merged.' }),
  })
  .meta({ id: 'SignedIn' })

export const sessionPasskey = createRouter()
  .openapi(
    sessionRoute(
      {
        method: 'post',
        path: '/v1/session/passkey/options',
        tags: ['Session'],
        summary: 'Options to sign in with a passkey',
        description:
          'Options for `navigator.credentials.get()`: discoverable credentials (no user name), user verification ' +
          'required. The challenge is signed, not stored: no round trip without a session. With one, `merge` ' +
          'says what signing in with `merge: true` would bring over from this device (one round trip).',
        responses: { 200: jsonResponse(RequestOptionsSchema, 'The options') },
      },
      limitPasskeySignIn,
    ),
    async function passkeySignInOptions(c) {
      const rp = relyingParty(c.env)
      const [challenge, merge] = await Promise.all([
        issueChallenge(c.env.SESSION_SECRETS, 'signIn'),
        mergePreviewFor(sessionScope(c)),
      ])
      return c.json({ publicKey: requestOptions(rp, challenge), merge }, 200, PRIVATE)
    },
  )
  .openapi(
    sessionRoute(
      {
        method: 'post',
        path: '/v1/session/passkey',
        tags: ['Session'],
        summary: 'Sign in with a passkey',
        description:
          'Verifies the passkey’s answer (a challenge of this API, unused and unexpired; the origin; the RP ID; user ' +
          'verification; the signature; the counter, which may stay 0 for synced passkeys but never go back) and ' +
          'starts a new session of the passkey’s learner on this device: `Set-Cookie` with a new id. With ' +
          '`merge: true`, this device’s learner — only if anonymous (no passkey) and signed in nowhere else — is ' +
          'merged in: attempts move, skill states are recomputed from both histories, the older of two open ' +
          'attempts on one activity is abandoned, and the anonymous learner is deleted. With `merge: false`, this ' +
          'device’s previous session ends and its learner is left as it is. Two round trips.',
        request: jsonBody(SignInWithPasskeySchema),
        responses: {
          200: jsonResponse(SignedInSchema, 'Signed in; the new session cookie is set'),
          ...problemResponses(409),
        },
      },
      limitPasskeySignIn,
    ),
    async function signInWithPasskeyRoute(c) {
      const { credential, merge } = c.req.valid('json')
      const { learner, merged } = await signInWithPasskey(sessionScope(c), credential, merge)
      return c.json({ learner: presentLearner(learner), merged }, 200, PRIVATE)
    },
  )
