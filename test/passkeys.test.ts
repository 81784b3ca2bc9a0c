/**
 * Passkeys end to end through the real Worker: registration and sign-in driven by a software
 * authenticator (test/webauthn.ts) whose keys and signatures are real, verified by the API with Web
 * Crypto exactly as a phone's would be.
 */
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { learners, passkeys, sessions } from '../src/db/schema.ts'
import { toBase64Url } from '../src/lib/encoding.ts'
import { issueChallenge } from '../src/passkeys/challenge.ts'
import { p256SignatureFromDer } from '../src/passkeys/webauthn.ts'
import {
  api,
  callWorker,
  cookieFrom,
  countRoundTrips,
  expectProblem,
  json,
  newLearner,
  send,
  testDb,
} from './helpers.ts'
import { buildPracticeCatalogue } from './practice-catalogue.ts'
import { type Options, registerPasskey, SoftwareAuthenticator, signIn, signInOptions } from './webauthn.ts'

const db = testDb()

type Passkey = {
  id: string
  name: string
  transports: string[]
  backedUp: boolean
  lastUsedAt: string | null
}

beforeEach(async () => {
  await buildPracticeCatalogue(db)
})

describe('registering a passkey', () => {
  it('offers discoverable, user-verified options that exclude the learner’s passkeys', async () => {
    const { cookie, id } = await newLearner()
    const first = await json<Options>(await send('POST', '/v1/me/passkeys/options', { cookie }), 200)
    expect(first.publicKey).toMatchObject({
      rp: { id: 'api.test', name: expect.any(String) },
      authenticatorSelection: {
        residentKey: 'required',
        requireResidentKey: true,
        userVerification: 'required',
      },
      attestation: 'none',
      excludeCredentials: [],
      timeout: 300_000,
      pubKeyCredParams: [
        { type: 'public-key', alg: -7 },
        { type: 'public-key', alg: -257 },
      ],
    })
    expect(first.publicKey.user).toMatchObject({ id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) })
    expect(JSON.stringify(first.publicKey.user)).not.toContain(id)

    const authenticator = new SoftwareAuthenticator()
    await json(await registerPasskey(cookie, authenticator), 201)
    const second = await json<Options>(await send('POST', '/v1/me/passkeys/options', { cookie }), 200)
    expect(second.publicKey.excludeCredentials).toEqual([
      { type: 'public-key', id: authenticator.lastId(), transports: ['internal', 'hybrid'] },
    ])
    // The authenticator that holds it refuses to make another, as browsers do.
    await expect(authenticator.create(second)).rejects.toThrow(/InvalidStateError/)
  })

  it('stores the credential id, the public key as a JWK, the counter, transports and a name', async () => {
    const { cookie, id } = await newLearner()
    const authenticator = new SoftwareAuthenticator()
    const res = await registerPasskey(cookie, authenticator)
    const passkey = await json<Passkey>(res, 201)
    expect(passkey).toMatchObject({
      name: 'Unknown browser',
      transports: ['internal', 'hybrid'],
      backedUp: false,
      lastUsedAt: null,
    })
    expect(passkey).not.toHaveProperty('publicKey')
    const [row] = await db.select().from(passkeys).where(eq(passkeys.learnerId, id))
    expect(row).toMatchObject({ credentialId: authenticator.lastId(), algorithm: -7, signCount: 0 })
    expect(row?.publicKey).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) })
    expect(row?.publicKey).not.toHaveProperty('d')
  })

  it('lists, renames and removes passkeys, each learner only their own', async () => {
    const { cookie } = await newLearner()
    const other = await newLearner()
    const created = await json<Passkey>(
      await registerPasskey(cookie, new SoftwareAuthenticator(), 'Laptop'),
      201,
    )
    expect(created.name).toBe('Laptop')
    const list = await json<{ items: Passkey[] }>(await send('GET', '/v1/me/passkeys', { cookie }), 200)
    expect(list.items.map((p) => p.id)).toEqual([created.id])
    expect(
      (await json<{ items: Passkey[] }>(await send('GET', '/v1/me/passkeys', { cookie: other.cookie }), 200))
        .items,
    ).toEqual([])

    const path = `/v1/me/passkeys/${created.id}`
    await expectProblem(await send('PATCH', path, { cookie: other.cookie, body: { name: 'Mine now' } }), 404)
    await expectProblem(await send('DELETE', path, { cookie: other.cookie }), 404)
    const renamed = await json<Passkey>(
      await send('PATCH', path, { cookie, body: { name: '  Phone ' } }),
      200,
    )
    expect(renamed.name).toBe('Phone')
    expect((await send('DELETE', path, { cookie })).status).toBe(204)
    await expectProblem(await send('DELETE', path, { cookie }), 404)
  })

  it('also takes RS256 keys (Windows Hello)', async () => {
    const { cookie, id } = await newLearner()
    const authenticator = new SoftwareAuthenticator({ algorithm: 'RS256' })
    await json(await registerPasskey(cookie, authenticator), 201)
    const [row] = await db.select().from(passkeys).where(eq(passkeys.learnerId, id))
    expect(row).toMatchObject({ algorithm: -257, publicKey: { kty: 'RSA', alg: 'RS256' } })
    const signedIn = await json<{ learner: { id: string } }>(await signIn(authenticator), 200)
    expect(signedIn.learner.id).toBe(id)
  })
})

describe('signing in with a passkey', () => {
  it('starts a new session of the passkey’s learner on another device, with a new cookie', async () => {
    const { cookie, id } = await newLearner()
    const phone = new SoftwareAuthenticator()
    await json(await registerPasskey(cookie, phone), 201)

    const options = await signInOptions()
    expect(options).toMatchObject({
      publicKey: { rpId: 'api.test', userVerification: 'required', allowCredentials: [], timeout: 300_000 },
      merge: null,
    })
    const res = await send('POST', '/v1/session/passkey', {
      body: { credential: await phone.get(options), merge: false },
    })
    const body = await json<{ learner: { id: string }; merged: unknown }>(res.clone(), 200)
    expect(body).toMatchObject({ learner: { id }, merged: null })
    const laptop = cookieFrom(res)
    expect(laptop).not.toBe(cookie)
    expect((await json<{ id: string }>(await send('GET', '/v1/me', { cookie: laptop }), 200)).id).toBe(id)
    expect((await json<{ id: string }>(await send('GET', '/v1/me', { cookie }), 200)).id).toBe(id)
    expect(await db.select().from(sessions).where(eq(sessions.learnerId, id))).toHaveLength(2)
    const [row] = await db.select().from(passkeys).where(eq(passkeys.learnerId, id))
    expect(row?.signCount).toBe(1)
    expect(row?.lastUsedAt).not.toBeNull()
  })

  it('switches this device’s learner without merging: the session id changes, the old learner is left as it is', async () => {
    const owner = await newLearner()
    const phone = new SoftwareAuthenticator()
    await json(await registerPasskey(owner.cookie, phone), 201)
    const device = await newLearner()

    const res = await signIn(phone, { cookie: device.cookie, merge: false })
    expect((await json<{ learner: { id: string } }>(res.clone(), 200)).learner.id).toBe(owner.id)
    expect(cookieFrom(res)).not.toBe(device.cookie)
    await expectProblem(await send('GET', '/v1/me', { cookie: device.cookie }), 401)
    const [left] = await db.select().from(learners).where(eq(learners.id, device.id))
    expect(left).toBeDefined()
  })
})

type Event = { event: string; reason: string; status: number }

/** What `run` logged (every level), and the security events among it. */
async function logsOf(run: () => Promise<unknown>) {
  // The suite's setup already spies on the console (test/setup.ts): read its calls, restore nothing.
  const spies = (['log', 'info', 'warn', 'error'] as const).map((level) => vi.spyOn(console, level))
  const before = spies.map((spy) => spy.mock.calls.length)
  await run()
  const lines = spies.flatMap((spy, i) =>
    spy.mock.calls.slice(before[i]).map((call) => call.map(String).join(' ')),
  )
  const events = lines
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Event)
    .filter((line) => line.event === 'refused')
  return { text: lines.join('\n'), events }
}

/** A learner with a passkey in `authenticator`, signed in once already (its counter is 1). */
async function owner(authenticator = new SoftwareAuthenticator()) {
  const learner = await newLearner()
  await json(await registerPasskey(learner.cookie, authenticator), 201)
  return { ...learner, authenticator }
}

async function refusedSignIn(
  authenticator: SoftwareAuthenticator,
  ceremony: Parameters<SoftwareAuthenticator['get']>[1],
  reason: string,
) {
  const { events } = await logsOf(async () => {
    const problem = await expectProblem(await signIn(authenticator, { ceremony }), 400)
    expect(problem.type).toMatch(/passkey_refused$/)
  })
  expect(events.map((event) => event.reason)).toEqual([reason])
}

const secrets = () => env.SESSION_SECRETS.split(',')

describe('sign-in options', () => {
  it('reveal nothing about which passkeys exist, and cost no round trip without a session', async () => {
    const before = await countRoundTrips(() => send('POST', '/v1/session/passkey/options'))
    await owner()
    await owner(new SoftwareAuthenticator({ synced: true }))
    const after = await countRoundTrips(() => send('POST', '/v1/session/passkey/options'))
    expect([before.roundTrips, after.roundTrips]).toEqual([0, 0])
    const shape = async (res: Response) => {
      const body = await json<{ publicKey: Record<string, unknown>; merge: unknown }>(res, 200)
      return { ...body, publicKey: { ...body.publicKey, challenge: typeof body.publicKey.challenge } }
    }
    const [first, second] = [await shape(before.result), await shape(after.result)]
    expect(second).toEqual(first)
    expect(second.publicKey).toEqual({
      challenge: 'string',
      rpId: 'api.test',
      timeout: 300_000,
      userVerification: 'required',
      allowCredentials: [],
    })
  })
})

describe('sign-in refuses, each with a 400 problem and a logged reason', () => {
  it('a replayed assertion: each challenge signs in once', async () => {
    const { authenticator } = await owner()
    const credential = await authenticator.get(await signInOptions())
    await json(await send('POST', '/v1/session/passkey', { body: { credential, merge: false } }), 200)
    const { events } = await logsOf(async () => {
      const replay = await send('POST', '/v1/session/passkey', { body: { credential, merge: false } })
      expect((await expectProblem(replay, 400)).detail).toMatch(/already used/)
    })
    expect(events.map((event) => event.reason)).toEqual(['passkey_challenge_used'])
  })

  it('an assertion over a challenge this API did not issue, issued for registration, or expired', async () => {
    const { cookie, authenticator } = await owner()
    await refusedSignIn(
      authenticator,
      { challenge: toBase64Url(crypto.getRandomValues(new Uint8Array(54))) },
      'passkey_challenge',
    )
    const registration = await json<Options>(await send('POST', '/v1/me/passkeys/options', { cookie }), 200)
    await refusedSignIn(
      authenticator,
      { challenge: registration.publicKey.challenge as string },
      'passkey_challenge',
    )
    const expired = await issueChallenge(secrets(), 'signIn', '', Date.now() - 301_000)
    await refusedSignIn(authenticator, { challenge: toBase64Url(expired) }, 'passkey_challenge')
    const forged = await issueChallenge(['another-deployment-secret-0123456789abcdef'], 'signIn')
    await refusedSignIn(authenticator, { challenge: toBase64Url(forged) }, 'passkey_challenge')
  })

  it('a wrong origin, a cross-origin frame, a wrong RP ID, another ceremony, no user verification', async () => {
    const { authenticator } = await owner()
    await refusedSignIn(authenticator, { origin: 'http://evil.test' }, 'passkey_origin')
    await refusedSignIn(authenticator, { crossOrigin: true }, 'passkey_origin')
    await refusedSignIn(authenticator, { rpId: 'evil.test' }, 'passkey_rp_id')
    await refusedSignIn(authenticator, { type: 'webauthn.create' }, 'passkey_malformed')
    await refusedSignIn(authenticator, { userVerified: false }, 'passkey_user_verification')
  })

  it('a tampered signature, and an unknown credential', async () => {
    const { authenticator } = await owner()
    await refusedSignIn(authenticator, { tamper: true }, 'passkey_signature')
    const stranger = new SoftwareAuthenticator()
    await stranger.create(
      await json<Options>(
        await send('POST', '/v1/me/passkeys/options', { cookie: (await newLearner()).cookie }),
        200,
      ),
    )
    await refusedSignIn(stranger, {}, 'passkey_unknown_credential')
  })

  it('a counter that goes backwards, but not the 0 of a synced passkey', async () => {
    const { authenticator } = await owner()
    await json(await signIn(authenticator), 200) // counter 1
    await json(await signIn(authenticator), 200) // counter 2
    await refusedSignIn(authenticator, { signCount: 2 }, 'passkey_counter')
    await refusedSignIn(authenticator, { signCount: 0 }, 'passkey_counter')

    const synced = await owner(new SoftwareAuthenticator({ synced: true }))
    for (let i = 0; i < 3; i++) await json(await signIn(synced.authenticator), 200)
    const [row] = await db.select().from(passkeys).where(eq(passkeys.learnerId, synced.id))
    expect(row).toMatchObject({ signCount: 0, backupEligible: true, backedUp: true })
  })

  it('not the counter of a backup-eligible passkey’s copy, which counts on its own; but a changed eligibility', async () => {
    const { id, authenticator } = await owner(new SoftwareAuthenticator({ counting: true }))
    for (let i = 0; i < 3; i++) await json(await signIn(authenticator), 200)
    const laptop = new SoftwareAuthenticator({ counting: true })
    authenticator.copyTo(laptop)
    expect((await json<{ learner: { id: string } }>(await signIn(laptop), 200)).learner.id).toBe(id)
    const [row] = await db.select().from(passkeys).where(eq(passkeys.learnerId, id))
    expect(row?.signCount).toBe(3) // the highest seen

    const deviceBound = await owner()
    const clone = new SoftwareAuthenticator()
    deviceBound.authenticator.copyTo(clone)
    await refusedSignIn(clone, { backupEligible: true }, 'passkey_malformed')
  })

  it('logs nothing of a key, a challenge or an assertion', async () => {
    const { authenticator } = await owner()
    const options = await signInOptions()
    const credential = await authenticator.get(options)
    const { text } = await logsOf(async () => {
      await json(await send('POST', '/v1/session/passkey', { body: { credential, merge: false } }), 200)
      await expectProblem(
        await send('POST', '/v1/session/passkey', { body: { credential, merge: false } }),
        400,
      )
    })
    expect(text).not.toBe('')
    for (const value of [
      options.publicKey.challenge as string,
      credential.id,
      credential.response.signature,
      credential.response.clientDataJSON,
      credential.response.authenticatorData,
      credential.response.userHandle,
    ]) {
      expect(text).not.toContain(value)
    }
  })

  it('cross-site, and over the per-address rate', async () => {
    const { authenticator } = await owner()
    const credential = await authenticator.get(await signInOptions())
    const crossSite = await api('/v1/session/passkey', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body: JSON.stringify({ credential, merge: false }),
    })
    await expectProblem(crossSite, 403)
    const from = { 'cf-connecting-ip': '198.51.100.77' }
    const statuses = []
    for (let i = 0; i < 21; i++) {
      statuses.push((await api('/v1/session/passkey/options', { method: 'POST', headers: from })).status)
    }
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true)
    expect(statuses[20]).toBe(429)
  })
})

describe('registration refuses', () => {
  it('a challenge issued to another session, used twice, or answered without user verification', async () => {
    const { cookie } = await newLearner()
    const other = await newLearner()
    const theirs = await json<Options>(
      await send('POST', '/v1/me/passkeys/options', { cookie: other.cookie }),
      200,
    )
    const authenticator = new SoftwareAuthenticator()
    const register = async (options: Options, ceremony = {}) =>
      send('POST', '/v1/me/passkeys', {
        cookie,
        body: { credential: await authenticator.create(options, ceremony) },
      })

    expect((await expectProblem(await register(theirs), 400)).detail).toMatch(/challenge/)
    const mine = await json<Options>(await send('POST', '/v1/me/passkeys/options', { cookie }), 200)
    await expectProblem(await register(mine, { userVerified: false }), 400)
    await expectProblem(await register(mine, { origin: 'https://api.test.evil.example' }), 400)
    await json(await register(mine), 201)
    const again = { ...mine, publicKey: { ...mine.publicKey, excludeCredentials: [] } }
    expect((await expectProblem(await register(again), 400)).detail).toMatch(/already used/)
    expect(await db.select().from(passkeys)).toHaveLength(1)
  })

  it('without WEBAUTHN_RP_ID: passkey routes are a 500 problem, the rest works on', async () => {
    const { cookie } = await newLearner()
    const request = (path: string) =>
      new Request(`http://api.test${path}`, { method: 'POST', headers: { Cookie: cookie } })
    const res = await callWorker(request('/v1/session/passkey/options'), { WEBAUTHN_RP_ID: '' })
    expect((await expectProblem(res, 500)).detail).toMatch(/WEBAUTHN_RP_ID/)
    await expectProblem(await callWorker(request('/v1/me/passkeys/options'), { WEBAUTHN_RP_ID: '' }), 500)
    expect((await callWorker(request('/v1/session'), { WEBAUTHN_RP_ID: '' })).status).toBe(200)
  })
})

describe('ECDSA signatures', () => {
  const der = (r: number[], s: number[]) =>
    Uint8Array.from([0x30, r.length + s.length + 4, 0x02, r.length, ...r, 0x02, s.length, ...s])
  const full = Array.from({ length: 32 }, (_, i) => i + 1)

  it('are read from strict DER only', () => {
    const raw = p256SignatureFromDer(der(full, full))
    expect(raw && [...raw]).toEqual([...full, ...full])
    // A leading zero keeps a high bit positive; short integers are padded on the left.
    const high = [0x80, ...full.slice(1)]
    expect([...(p256SignatureFromDer(der([0, ...high], [7])) ?? [])]).toEqual([
      ...high,
      ...Array(31).fill(0),
      7,
    ])
    for (const broken of [
      der([0, 1, ...full.slice(2)], full), // a zero that is not needed
      der([0x80, ...full.slice(1)], full), // negative
      der([1, ...full], full), // 33 bytes of value
      Uint8Array.from([...der(full, full), 0]), // trailing bytes
      der(full, full).slice(0, 40), // truncated
      Uint8Array.from([0x31, ...der(full, full).slice(1)]), // a SET, not a SEQUENCE
    ]) {
      expect(p256SignatureFromDer(broken)).toBeNull()
    }
  })
})
