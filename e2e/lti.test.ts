/**
 * A learner launches an activity from their LMS's course page, inside its frame, in Chromium. The
 * platform is simulated here (its own keys and JWKS, an authentication endpoint that signs the
 * id_token and posts it back, as Moodle's does) and served as http://localhost while the tool is
 * http://127.0.0.1: two sites, so the tool's cookies in the frame are third-party, as in a school.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { ADMIN_TOKEN } from '../scripts/lib/stack.ts'
import { SEED_IDS, seedActivities } from '../scripts/seed.ts'
import { answerArithmetic, snap, useChromium } from './browser.ts'

const openPage = useChromium()
const tool = inject('baseUrl')
const ACTIVITY = SEED_IDS.activities.addition
const activityName = seedActivities.find((a) => a.id === ACTIVITY)?.name as string

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
function idToken(claims: object, key: KeyObject = privateKey) {
  const signed = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'p1' })}.${b64(claims)}`
  return `${signed}.${sign('RSA-SHA256', Buffer.from(signed), key).toString('base64url')}`
}

let server: Server
let port = 0
const site = () => `http://localhost:${port}`
const escapeAttribute = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', site())
    if (url.pathname === '/jwks') {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      return res.end(
        JSON.stringify({
          keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'p1', alg: 'RS256', use: 'sig' }],
        }),
      )
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204)
      return res.end()
    }
    if (url.pathname === '/course' || url.pathname === '/course-window') {
      const login = new URL('/lti/login', tool)
      for (const [k, v] of Object.entries({
        iss: site(),
        login_hint: 'student-1',
        target_link_uri: `${tool}/`,
        client_id: 'tool-1',
        lti_deployment_id: 'd1',
      }))
        login.searchParams.set(k, v)
      res.writeHead(200, { 'Content-Type': 'text/html' })
      // The course page frames the tool, or (a tool set to open in a new window) links to it.
      const opening =
        url.pathname === '/course'
          ? `<iframe title="Activity" width="900" height="700" src="${escapeAttribute(login.toString())}"></iframe>`
          : `<a href="${escapeAttribute(login.toString())}">Open the activity</a>`
      return res.end(`<!doctype html><title>Course</title><h1>Year 7 maths</h1>${opening}`)
    }
    if (url.pathname === '/auth') {
      // The platform's authentication step: the id_token for this login, posted back by the browser.
      const now = Math.floor(Date.now() / 1000)
      const token = idToken({
        iss: site(),
        aud: 'tool-1',
        sub: 'student-1',
        iat: now - 30,
        exp: now + 300,
        nonce: url.searchParams.get('nonce'),
        name: 'Sam Student',
        'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiResourceLinkRequest',
        'https://purl.imsglobal.org/spec/lti/claim/version': '1.3.0',
        'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'd1',
        'https://purl.imsglobal.org/spec/lti/claim/roles': [
          'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
        ],
        'https://purl.imsglobal.org/spec/lti/claim/resource_link': { id: 'link-1' },
        'https://purl.imsglobal.org/spec/lti/claim/custom': { activity: ACTIVITY },
      })
      const redirect = url.searchParams.get('redirect_uri') ?? ''
      const state = url.searchParams.get('state') ?? ''
      res.writeHead(200, { 'Content-Type': 'text/html' })
      return res.end(
        `<!doctype html><form method="post" action="${escapeAttribute(redirect)}"><input type="hidden" name="id_token" value="${escapeAttribute(token)}"><input type="hidden" name="state" value="${escapeAttribute(state)}"></form><script>document.forms[0].submit()</script>`,
      )
    }
    res.writeHead(404)
    res.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
  const registered = await fetch(`${tool}/v1/admin/lti/platforms`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name: 'Simulated Moodle',
      issuer: site(),
      clientId: 'tool-1',
      deploymentIds: ['d1'],
      authLoginUrl: `${site()}/auth`,
      accessTokenUrl: `${site()}/token`,
      jwksUrl: `http://127.0.0.1:${port}/jwks`,
    }),
  })
  expect(registered.status, await registered.clone().text()).toBe(201)
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('a launch from the LMS', () => {
  it('signs the learner in inside the course page’s frame and opens the activity its link names', async () => {
    const { context, page, errors } = await openPage()
    await page.goto(`${site()}/course`)
    const frame = page.frameLocator('iframe[title="Activity"]')
    await frame.getByRole('heading', { name: activityName, level: 1 }).waitFor()
    await frame.getByRole('button', { name: 'Start activity' }).waitFor()
    // Signed in by the launch, not a first visit: no "used this site on another device?" offer.
    await expect(frame.locator('#welcome-back').isHidden()).resolves.toBe(true)
    await snap(page, 'lti-01-launched-in-frame')
    // Signed in as the platform's user, in the frame: the learner page knows their name.
    const me = await page
      .frames()
      .find((f) => f.url().startsWith(`${tool}/lti/app/`))
      ?.evaluate(async () => (await fetch('/v1/me', { credentials: 'same-origin' })).json())
    expect(me).toMatchObject({ displayName: 'Sam Student' })
    expect(errors).toEqual([])
    await context.close()
  })

  it('opened in its own window, offers to bring what the learner did on this browser before into their course account', async () => {
    const { context, page, errors } = await openPage()
    // Before the course: the learner practised on the tool's own page, anonymously.
    await page.goto(`/#/activities/${ACTIVITY}`)
    await page.getByRole('button', { name: 'Start activity' }).click()
    await answerArithmetic(page)
    await page.getByRole('button', { name: 'Submit answers' }).click()
    await page.getByRole('heading', { name: 'Passed', level: 2 }).waitFor()

    // The course opens the tool at the top level: the launch's learner, and the browser's own.
    await page.goto(`${site()}/course-window`)
    await page.getByRole('link', { name: 'Open the activity' }).click()
    await page.getByRole('heading', { name: activityName, level: 1 }).waitFor()
    const offer = page.getByRole('region', { name: 'This browser has progress from before' })
    await expect(offer.textContent()).resolves.toContain('1 attempt in 1 skill')
    await snap(page, 'lti-02-merge-offer')
    await offer.getByRole('button', { name: 'Bring it into this account' }).click()
    await offer.waitFor({ state: 'detached' })
    const mine = await page.evaluate(async () => {
      const me = await (await fetch('/v1/me')).json()
      const attempts = await (await fetch('/v1/me/attempts')).json()
      return { name: me.displayName, attempts: attempts.items.length }
    })
    expect(mine).toEqual({ name: 'Sam Student', attempts: 1 })
    expect(errors).toEqual([])
    await context.close()
  })
})
