/**
 * What the LTI suites share: a platform registered through the admin API (test/lti-platform.ts
 * simulates it), the login's hops, an id_token's claims, signed by the platform on request, and the
 * launch posted from the platform's site.
 */
import { expect, inject } from 'vitest'
import { api, json, send } from './helpers.ts'

export const PLATFORM = inject('ltiPlatformUrl')
export const CLIENT_ID = 'tool-client-1'
export const DEPLOYMENT = 'deployment-1'
export const CROSS_SITE = { Origin: 'https://lms.school.example', 'Sec-Fetch-Site': 'cross-site' }
export const CLAIM = 'https://purl.imsglobal.org/spec/lti/claim'
export const LEARNER_ROLE = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'

let platforms = 0

/** A live platform registered through the admin API, with a key set URL of its own (a cache entry of its own). */
export async function registerPlatform() {
  const n = ++platforms
  const issuer = `${PLATFORM}/site-${n}`
  const created = await send('POST', '/v1/admin/lti/platforms', {
    admin: true,
    body: {
      name: `Moodle ${n}`,
      issuer,
      clientId: CLIENT_ID,
      deploymentIds: [DEPLOYMENT],
      authLoginUrl: `${PLATFORM}/auth`,
      accessTokenUrl: `${PLATFORM}/token`,
      jwksUrl: `${PLATFORM}/jwks?site=${n}`,
    },
  })
  return { ...(await json<{ id: string; name: string }>(created, 201)), issuer, jwksSite: n }
}

export const cookieValue = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0]

/** The login's second hop (the frame kept its test cookie): the state, nonce and state cookie. */
export async function login(issuer: string) {
  const query = new URLSearchParams({
    iss: issuer,
    login_hint: 'user-7',
    target_link_uri: 'http://api.test/',
    client_id: CLIENT_ID,
    checked: '1',
  })
  const res = await api(`/lti/login?${query}`, { headers: { Cookie: 'lti_check=1' }, redirect: 'manual' })
  expect(res.status).toBe(302)
  const location = new URL(res.headers.get('location') as string)
  return {
    location,
    state: location.searchParams.get('state') as string,
    nonce: location.searchParams.get('nonce') as string,
    cookie: cookieValue(res, 'lti_state') as string,
    res,
  }
}

export function claims(issuer: string, nonce: string, overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000)
  return {
    iss: issuer,
    aud: CLIENT_ID,
    sub: 'user-7',
    iat: now - 30,
    exp: now + 300,
    nonce,
    name: 'Ada Lovelace',
    [`${CLAIM}/message_type`]: 'LtiResourceLinkRequest',
    [`${CLAIM}/version`]: '1.3.0',
    [`${CLAIM}/deployment_id`]: DEPLOYMENT,
    [`${CLAIM}/roles`]: [LEARNER_ROLE],
    [`${CLAIM}/resource_link`]: { id: 'link-1' },
    ...overrides,
  }
}

export async function signed(body: Record<string, unknown>) {
  const res = await fetch(`${PLATFORM}/sign`, { method: 'POST', body: JSON.stringify(body) })
  return ((await res.json()) as { id_token: string }).id_token
}

export const launch = (fields: Record<string, string>, cookie?: string) =>
  api('/lti/launch', {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...CROSS_SITE,
      ...(cookie && { Cookie: cookie }),
    },
    body: new URLSearchParams(fields),
  })

export async function refusedWith(res: Response, words: RegExp) {
  expect(res.status).toBe(403)
  expect(res.headers.get('content-type')).toMatch(/^text\/html/)
  const page = await res.text()
  expect(page).toContain('This launch was refused')
  expect(page).toMatch(words)
}

export const jwksFetches = async () =>
  ((await (await fetch(`${PLATFORM}/stats`)).json()) as { jwksFetches: number }).jwksFetches
