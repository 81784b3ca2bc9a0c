/**
 * Access tokens for a platform's services (LTI Advantage, 1EdTech Security Framework §4.1): a
 * client-credentials grant whose client is authenticated by a JWT signed with the tool's key. Cached
 * per isolate until a minute before they expire; `renew` drops the cached one (a 401 says it was
 * revoked early).
 */
import { toBase64Url } from '../lib/encoding.ts'
import { signJwt } from './jwt.ts'
import type { ToolKeys } from './keys.ts'

export const SCOPES = {
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  roster: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
} as const

export type TokenPlatform = { id: string; clientId: string; accessTokenUrl: string }

/** A platform's answer that is not what a service call needs: `retry` when trying later may help. */
export class ServiceError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
  ) {
    super(message)
  }
}

const cache = new Map<string, { token: string; expiresAt: number }>()
const keyOf = (platform: TokenPlatform, scopes: readonly string[]) => `${platform.id} ${scopes.join(' ')}`

function dropToken(platform: TokenPlatform, scopes: readonly string[]) {
  cache.delete(keyOf(platform, scopes))
}

/** A bearer token for `scopes` on the platform: the cached one, or a new grant. */
async function accessToken(
  platform: TokenPlatform,
  scopes: readonly string[],
  tool: ToolKeys,
  now = Date.now(),
): Promise<string> {
  const cached = cache.get(keyOf(platform, scopes))
  if (cached && cached.expiresAt > now) return cached.token
  // iat in the past: Moodle's JWT library allows no leeway for a clock a little ahead of its own.
  const iat = Math.floor(now / 1000) - 30
  const assertion = await signJwt(
    {
      iss: platform.clientId,
      sub: platform.clientId,
      aud: platform.accessTokenUrl,
      iat,
      exp: iat + 300,
      jti: toBase64Url(crypto.getRandomValues(new Uint8Array(16))),
    },
    tool.signing.key,
    tool.signing.kid,
  )
  const res = await fetch(platform.accessTokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope: scopes.join(' '),
    }),
    signal: AbortSignal.timeout(10_000),
  })
  if (!res.ok)
    throw new ServiceError(`the platform refused an access token (${res.status})`, res.status >= 500)
  const granted = (await res.json()) as { access_token?: unknown; expires_in?: unknown }
  if (typeof granted.access_token !== 'string')
    throw new ServiceError('the platform answered without an access token', false)
  const seconds = typeof granted.expires_in === 'number' ? granted.expires_in : 3600
  cache.set(keyOf(platform, scopes), {
    token: granted.access_token,
    expiresAt: now + Math.max(0, seconds - 60) * 1000,
  })
  return granted.access_token
}

/**
 * A request to one of the platform's services with its token, renewed once when the platform answers
 * 401. A platform that cannot be reached (or answers too slowly) is worth another try later.
 */
export async function callService(
  platform: TokenPlatform,
  scopes: readonly string[],
  tool: ToolKeys,
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: string },
): Promise<Response> {
  const call = async (token: string) =>
    fetch(url, {
      ...init,
      headers: { ...init.headers, Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    })
  try {
    const res = await call(await accessToken(platform, scopes, tool))
    if (res.status !== 401) return res
    dropToken(platform, scopes)
    return await call(await accessToken(platform, scopes, tool))
  } catch (error) {
    if (error instanceof ServiceError) throw error
    throw new ServiceError('the platform could not be reached', true)
  }
}

/** A platform's answer as a ServiceError: 5xx and 429 are worth another try, other refusals are not. */
export const refusal = (what: string, res: Response) =>
  new ServiceError(`the platform answered ${res.status} to ${what}`, res.status >= 500 || res.status === 429)
