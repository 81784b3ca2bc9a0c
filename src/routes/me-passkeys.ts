/**
 * The learner's passkeys: what lets them sign in on another device (routes/session-passkey.ts).
 * Registering is two requests: options (a signed challenge, the learner's passkeys excluded), then
 * the browser's answer, verified here with Web Crypto (passkeys/webauthn.ts).
 */

import { and, asc, eq } from 'drizzle-orm'
import * as z from 'zod'
import { passkeys } from '../db/schema.ts'
import { ApiError } from '../errors.ts'
import { PRIVATE } from '../http/cache-control.ts'
import { emptyResponse, jsonBody, jsonResponse, problemResponses } from '../openapi.ts'
import { issueChallenge, verifyChallenge } from '../passkeys/challenge.ts'
import { creationOptions, relyingParty } from '../passkeys/options.ts'
import { passkeyProblem } from '../passkeys/refusals.ts'
import { storePasskey, useChallenge } from '../passkeys/statements.ts'
import { verifyRegistration } from '../passkeys/webauthn.ts'
import { learnerWrite } from '../progress/learner-write.ts'
import { createRouter } from '../router.ts'
import { uuidParam } from '../schemas/common.ts'
import {
  CreationOptionsSchema,
  PasskeySchema,
  presentPasskey,
  RegisterPasskeySchema,
  RenamePasskeySchema,
} from '../schemas/passkeys.ts'
import { deviceLabel } from '../session/device-label.ts'
import { getCurrentLearner } from '../session/learner.ts'
import { sessionOf } from '../session/middleware.ts'
import { learnerRoute } from './define.ts'

const PasskeyList = z.object({ items: z.array(PasskeySchema) }).meta({ id: 'PasskeyList' })

const notFound = () => new ApiError('not_found', 'No passkey with this id.')

export const mePasskeys = createRouter()
  .openapi(
    learnerRoute({
      method: 'post',
      path: '/v1/me/passkeys/options',
      tags: ['Passkeys'],
      summary: 'Options to create a passkey for this learner',
      description:
        'Registration options for `navigator.credentials.create()`: a discoverable credential, user verification ' +
        'required, this learner’s passkeys excluded (an authenticator that already holds one says so instead of ' +
        'creating another). The challenge is signed, not stored, and good for five minutes. One round trip.',
      responses: { 200: jsonResponse(CreationOptionsSchema, 'The options') },
    }),
    async function passkeyCreationOptions(c) {
      const rp = relyingParty(c)
      const { learner, existing } = await getCurrentLearner(c, (db, learnerId) => ({
        existing: db
          .select({ credentialId: passkeys.credentialId, transports: passkeys.transports })
          .from(passkeys)
          .where(eq(passkeys.learnerId, learnerId)),
      }))
      const challenge = await issueChallenge(c.env.SESSION_SECRETS, 'register', sessionOf(c).hash)
      return c.json(creationOptions(rp, learner, challenge, existing), 200, PRIVATE)
    },
  )
  .openapi(
    learnerRoute({
      method: 'post',
      path: '/v1/me/passkeys',
      tags: ['Passkeys'],
      summary: 'Store a passkey created with the options',
      description:
        'Verifies the browser’s answer (the challenge, issued to this session and unused; the origin; the RP ID; ' +
        'user presence and verification; an ES256 or RS256 key) and stores the passkey: from now on this learner ' +
        'can sign in with it on any device. Each challenge registers once. One round trip.',
      request: jsonBody(RegisterPasskeySchema),
      responses: {
        201: jsonResponse(PasskeySchema, 'The passkey'),
        ...problemResponses(409),
      },
    }),
    async function registerPasskey(c) {
      const { credential, name } = c.req.valid('json')
      const rp = relyingParty(c)
      const registration = await verifyRegistration(credential, rp)
      const challenge = await verifyChallenge(
        c.env.SESSION_SECRETS,
        registration.challenge,
        'register',
        sessionOf(c).hash,
      )
      const written = await learnerWrite(
        c,
        null,
        ({ db, learnerId }) => ({
          ...useChallenge(db, challenge),
          ...storePasskey(db, learnerId, registration, name ?? deviceLabel(c.req.header('user-agent'))),
        }),
        { resource: '/v1/me/passkeys' },
      ).catch((error: unknown) => {
        throw passkeyProblem(error)
      })
      const [passkey] = written.results?.stored ?? []
      if (!passkey) throw new Error('the passkey batch committed without its row')
      return c.json(presentPasskey(passkey), 201, PRIVATE)
    },
  )
  .openapi(
    learnerRoute({
      method: 'get',
      path: '/v1/me/passkeys',
      tags: ['Passkeys'],
      summary: 'This learner’s passkeys, oldest first',
      responses: { 200: jsonResponse(PasskeyList, 'The passkeys (never their keys)') },
    }),
    async function listPasskeys(c) {
      const { rows } = await getCurrentLearner(c, (db, learnerId) => ({
        rows: db
          .select()
          .from(passkeys)
          .where(eq(passkeys.learnerId, learnerId))
          .orderBy(asc(passkeys.createdAt), asc(passkeys.id)),
      }))
      return c.json({ items: rows.map(presentPasskey) }, 200, PRIVATE)
    },
  )
  .openapi(
    learnerRoute({
      method: 'patch',
      path: '/v1/me/passkeys/{passkeyId}',
      tags: ['Passkeys'],
      summary: 'Rename a passkey',
      request: { params: uuidParam('passkeyId'), ...jsonBody(RenamePasskeySchema) },
      responses: { 200: jsonResponse(PasskeySchema, 'The renamed passkey'), ...problemResponses(404) },
    }),
    async function renamePasskey(c) {
      const { passkeyId } = c.req.valid('param')
      const { name } = c.req.valid('json')
      const { renamed } = await getCurrentLearner(
        c,
        (db, learnerId) => ({
          renamed: db
            .update(passkeys)
            .set({ name })
            .where(and(eq(passkeys.id, passkeyId), eq(passkeys.learnerId, learnerId)))
            .returning(),
        }),
        { retry: false },
      )
      const [passkey] = renamed
      if (!passkey) throw notFound()
      return c.json(presentPasskey(passkey), 200, PRIVATE)
    },
  )
  .openapi(
    learnerRoute({
      method: 'delete',
      path: '/v1/me/passkeys/{passkeyId}',
      tags: ['Passkeys'],
      summary: 'Remove a passkey',
      description:
        'It no longer signs in here (remove it from the device’s passkey manager too). Signed-in devices stay ' +
        'signed in. A learner without passkeys is anonymous again: only their devices’ cookies reach them.',
      request: { params: uuidParam('passkeyId') },
      responses: { 204: emptyResponse('Removed'), ...problemResponses(404) },
    }),
    async function removePasskey(c) {
      const { passkeyId } = c.req.valid('param')
      const { removed } = await getCurrentLearner(
        c,
        (db, learnerId) => ({
          removed: db
            .delete(passkeys)
            .where(and(eq(passkeys.id, passkeyId), eq(passkeys.learnerId, learnerId)))
            .returning({ id: passkeys.id }),
        }),
        { retry: false },
      )
      if (removed.length === 0) throw notFound()
      return c.body(null, 204, PRIVATE)
    },
  )
