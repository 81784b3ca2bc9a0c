/**
 * Progress on every device, in Chromium with virtual authenticators (the DevTools protocol's
 * WebAuthn domain): A creates a passkey; B, with progress of its own, receives A's passkey as a
 * synced passkey arrives (counter 0; Chrome's virtual authenticators then count on their own, which
 * the API allows for backup-eligible passkeys only) and merges; C, whose learner has a passkey of its own, signs
 * in as A without merging; A signs B out. Passkeys need a domain, so these pages use localhost.
 */
import { count, eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { connect } from '../scripts/lib/database.ts'
import { seedActivities, seedSkills } from '../scripts/seed.ts'
import { attempts, learners } from '../src/db/schema.ts'
import { answerArithmetic, snap, useChromium } from './browser.ts'

const openPage = useChromium()
const localhost = inject('localhostUrl')
const { db } = connect(inject('database'))
const math = seedSkills[0] as (typeof seedSkills)[number]
const addition = seedActivities[0] as (typeof seedActivities)[number]
const takeAway = seedActivities[2] as (typeof seedActivities)[number]

const heading = (page: Page, name: string | RegExp, level = 1) => page.getByRole('heading', { name, level })

/**
 * A platform authenticator of a passkey provider that syncs (backup eligible and backed up), with
 * resident keys and user verification, answering without a prompt.
 */
async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('WebAuthn.enable', { enableUI: false })
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      defaultBackupEligibility: true,
      defaultBackupState: true,
    },
  })
  return { cdp, authenticatorId }
}

type Authenticator = Awaited<ReturnType<typeof virtualAuthenticator>>

/** The passkey of `from`, added to `to` with a counter of 0: a synced passkey arriving on a new device. */
async function copyPasskey(from: Authenticator, to: Authenticator) {
  const { credentials } = await from.cdp.send('WebAuthn.getCredentials', {
    authenticatorId: from.authenticatorId,
  })
  const [credential] = credentials
  if (!credential) throw new Error('no passkey to copy')
  await to.cdp.send('WebAuthn.addCredential', {
    authenticatorId: to.authenticatorId,
    credential: { ...credential, signCount: 0 },
  })
}

async function me(page: Page) {
  const res = await page.request.get('/v1/me')
  return { status: res.status(), id: res.ok() ? ((await res.json()) as { id: string }).id : null }
}

/** Answers the addition activity (two of three right) or the take-away one (all right). */
async function answer(page: Page, activity: 'addition' | 'takeAway') {
  const { id } = activity === 'addition' ? addition : takeAway
  await page.goto(`/#/activities/${id}`)
  await page.getByRole('button', { name: 'Start activity' }).click()
  if (activity === 'addition') {
    await answerArithmetic(page, { wrong: [3] })
  } else {
    await answerArithmetic(page)
    await page.getByLabel('3. What is 10 − 10, in words?').fill('zero')
  }
  await page.getByRole('button', { name: 'Submit answers' }).click()
  await page.locator('.score').waitFor()
}

async function createPasskey(page: Page) {
  await page.goto('/#/account')
  await heading(page, 'Your account').waitFor()
  await page.getByRole('button', { name: /Create a passkey|Add another passkey/ }).click()
  await expect.poll(() => page.getByRole('status').textContent()).toContain('Passkey created')
  await page.locator('[data-passkey]').first().waitFor()
}

async function signInWithPasskey(page: Page) {
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
  await heading(page, 'My progress').waitFor()
}

const attemptsOf = async (learnerId: string) =>
  (await db.select({ n: count() }).from(attempts).where(eq(attempts.learnerId, learnerId)))[0]?.n

describe('progress on every device', () => {
  it('creates a passkey on A, merges B into it, signs C in without merging, and signs B out from A', async () => {
    // A: a learner answers, then keeps their progress with a passkey.
    const a = await openPage({ baseURL: localhost })
    const aKey = await virtualAuthenticator(a.page)
    await a.page.goto('/')
    await heading(a.page, 'Skills').waitFor()
    await expect(a.page.locator('#welcome-back').isVisible()).resolves.toBe(true)
    await answer(a.page, 'addition')
    const learnerA = (await me(a.page)).id as string
    await createPasskey(a.page)
    await snap(a.page, '20-passkey-created-on-a')

    // B: another device with progress of its own receives A's passkey (synced, counter 0) and merges.
    const b = await openPage({ baseURL: localhost })
    const bKey = await virtualAuthenticator(b.page)
    await b.page.goto('/')
    await heading(b.page, 'Skills').waitFor()
    await answer(b.page, 'takeAway')
    const learnerB = (await me(b.page)).id as string
    await copyPasskey(aKey, bKey)
    await b.page.goto('/#/sign-in')
    await heading(b.page, 'Sign in with a passkey').waitFor()
    await expect(b.page.getByRole('group').textContent()).resolves.toContain('1 attempt in 1 skill')
    await expect(b.page.getByLabel('Bring it into my account').isChecked()).resolves.toBe(true)
    await snap(b.page, '21-sign-in-on-b-with-merge')
    await signInWithPasskey(b.page)
    await expect.poll(() => b.page.getByRole('status').textContent()).toContain('1 attempt from this device')
    expect((await me(b.page)).id).toBe(learnerA)
    expect(await attemptsOf(learnerA)).toBe(2)
    expect(await db.select().from(learners).where(eq(learners.id, learnerB))).toEqual([])
    // The merged progress the page shows is the API's.
    const skills = (await (await b.page.request.get('/v1/me/skills')).json()) as {
      items: { skillId: string; masteryScore: number; progress: number }[]
    }
    const mathState = skills.items.find((skill) => skill.skillId === math.id)
    expect(mathState?.progress).toBe(0.25) // take-away passed, addition not
    const card = b.page.locator(`[data-skill="${math.id}"]`)
    await expect(
      card.getByRole('progressbar', { name: 'Mastery' }).getAttribute('aria-valuenow'),
    ).resolves.toBe(String(Math.round((mathState?.masteryScore ?? 0) * 100)))
    await snap(b.page, '22-merged-progress-on-b')

    // C: a learner with a passkey of their own signs in as A; nothing of C is merged.
    const c = await openPage({ baseURL: localhost })
    const cKey = await virtualAuthenticator(c.page)
    await c.page.goto('/')
    await heading(c.page, 'Skills').waitFor()
    await answer(c.page, 'addition')
    const learnerC = (await me(c.page)).id as string
    await createPasskey(c.page)
    await copyPasskey(aKey, cKey)
    await c.page.goto('/#/sign-in')
    await heading(c.page, 'Sign in with a passkey').waitFor()
    await expect(c.page.getByRole('note').textContent()).resolves.toContain('passkey of their own')
    await snap(c.page, '23-sign-in-on-c-without-merge')
    // Two passkeys on this authenticator now: the virtual one answers with the newest, so keep A's only.
    const { credentials } = await cKey.cdp.send('WebAuthn.getCredentials', {
      authenticatorId: cKey.authenticatorId,
    })
    const own = credentials.find((credential) => credential.signCount > 0)
    if (own)
      await cKey.cdp.send('WebAuthn.removeCredential', {
        authenticatorId: cKey.authenticatorId,
        credentialId: own.credentialId,
      })
    await signInWithPasskey(c.page)
    expect((await me(c.page)).id).toBe(learnerA)
    expect(await attemptsOf(learnerA)).toBe(2)
    expect(await attemptsOf(learnerC)).toBe(1)

    // A signs B out from the device list: B's next request is a 401.
    const bSessions = (await (await b.page.request.get('/v1/me/sessions')).json()) as {
      items: { id: string; current: boolean }[]
    }
    const bDevice = bSessions.items.find((device) => device.current)?.id
    // Page A still shows the account view from before B and C signed in: load it again.
    await a.page.reload()
    await heading(a.page, 'Your account').waitFor()
    await expect(a.page.locator('[data-device]').count()).resolves.toBe(3)
    await snap(a.page, '24-devices-on-a')
    await a.page
      .locator(`[data-device="${bDevice}"]`)
      .getByRole('button', { name: /^Sign out/ })
      .click()
    await expect.poll(() => a.page.getByRole('status').textContent()).toContain('is signed out')
    await expect(a.page.locator('[data-device]').count()).resolves.toBe(2)
    await snap(a.page, '25-b-signed-out-from-a')
    expect((await me(b.page)).status).toBe(401)

    for (const page of [a, b, c]) expect(page.errors).toEqual([])
    for (const page of [a, b, c]) await page.context.close()
  })

  it('says so honestly where the browser has no passkeys, and offers nothing that cannot work', async () => {
    const { context, page, errors } = await openPage({ baseURL: localhost })
    await page.addInitScript(() => {
      Reflect.deleteProperty(window, 'PublicKeyCredential')
    })
    await page.goto('/#/sign-in')
    await heading(page, 'Sign in with a passkey').waitFor()
    await expect(page.getByRole('note').textContent()).resolves.toContain('This browser cannot use passkeys')
    await expect(page.getByRole('button', { name: 'Sign in with a passkey' }).isDisabled()).resolves.toBe(
      true,
    )
    await page.goto('/#/account')
    await heading(page, 'Your account').waitFor()
    await expect(page.getByRole('button', { name: 'Create a passkey' }).isDisabled()).resolves.toBe(true)
    await snap(page, '26-no-passkey-support')
    expect(errors).toEqual([])
    await context.close()
  })
})
