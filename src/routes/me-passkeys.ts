/**
 * The learner's passkeys: what lets them sign in on another device (routes/session-passkey.ts).
 * Registering is two requests: options (a signed challenge, the learner's passkeys excluded), then
 * the browser's answer, verified here with Web Crypto (passkeys/webauthn.ts).
 */

import * as z from 'zod'
import { ApiError } from '../errors.ts'
import { PRIVATE } from '../http/cache-control.ts'
import { emptyResponse, jsonBody, jsonResponse, problemResponses } from '../openapi.ts'
import {
  listPasskeys,
  passkeyCreationOptions,
  registerPasskey,
  removePasskey,
  renamePasskey,
} from '../passkeys/manage.ts'
import { REPLAYED } from '../progress/write/idempotency.ts'
import { createRouter } from '../router.ts'
import { IdempotencyKeyHeader, uuidParam } from '../schemas/common.ts'
import {
  CreationOptionsSchema,
  PasskeySchema,
  presentPasskey,
  RegisterPasskeySchema,
  RenamePasskeySchema,
} from '../schemas/passkeys.ts'
import { learnerScope } from '../session/middleware.ts'
import { learnerRoute } from './define.ts'
import { idempotencyKeyOf } from './idempotency-key.ts'

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
    async function creationOptions(c) {
      return c.json(await passkeyCreationOptions(learnerScope(c)), 200, PRIVATE)
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
    async function register(c) {
      const passkey = await registerPasskey(learnerScope(c), c.req.valid('json'))
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
    async function passkeysOfMine(c) {
      const rows = await listPasskeys(learnerScope(c))
      return c.json({ items: rows.map(presentPasskey) }, 200, PRIVATE)
    },
  )
  .openapi(
    learnerRoute({
      method: 'patch',
      path: '/v1/me/passkeys/{passkeyId}',
      tags: ['Passkeys'],
      summary: 'Rename a passkey',
      request: {
        params: uuidParam('passkeyId'),
        headers: IdempotencyKeyHeader,
        ...jsonBody(RenamePasskeySchema),
      },
      responses: {
        200: jsonResponse(PasskeySchema, 'The renamed passkey', ['Idempotent-Replayed']),
        ...problemResponses(404, 409, 422),
      },
    }),
    async function rename(c) {
      const { passkeyId } = c.req.valid('param')
      const { name } = c.req.valid('json')
      const renamed = await renamePasskey(
        learnerScope(c),
        passkeyId,
        name,
        await idempotencyKeyOf(c, { body: true }),
      )
      if (!renamed) throw notFound()
      return c.json(presentPasskey(renamed.passkey), 200, { ...PRIVATE, ...(renamed.replayed && REPLAYED) })
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
      request: { params: uuidParam('passkeyId'), headers: IdempotencyKeyHeader },
      responses: {
        204: emptyResponse('Removed', ['Idempotent-Replayed']),
        ...problemResponses(404, 409, 422),
      },
    }),
    async function remove(c) {
      const { passkeyId } = c.req.valid('param')
      const removed = await removePasskey(
        learnerScope(c),
        passkeyId,
        await idempotencyKeyOf(c, { body: false }),
      )
      if (!removed.found) throw notFound()
      return c.body(null, 204, { ...PRIVATE, ...(removed.replayed && REPLAYED) })
    },
  )
