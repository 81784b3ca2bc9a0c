/**
 * LTI's third-party-initiated login (OIDC): the platform names itself (`iss`, and `client_id` when it
 * has several registrations), we bind a signed state and a nonce to the browser and send it to the
 * platform's authentication endpoint, which posts the id_token back to /lti/launch.
 */
import { and, asc, eq } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { type LtiPlatform, ltiPlatforms } from '../db/schema.ts'
import { toBase64Url } from '../lib/encoding.ts'

export type LoginRequest = {
  iss: string
  login_hint: string
  target_link_uri: string
  lti_message_hint?: string
  client_id?: string
  lti_deployment_id?: string
}

/** The live platform a login names; null when none (or several, and the login names no client id). */
export async function platformForLogin(
  db: Db,
  issuer: string,
  clientId: string | undefined,
): Promise<LtiPlatform | null> {
  const rows = await retryReads(() =>
    db
      .select()
      .from(ltiPlatforms)
      .where(
        and(
          eq(ltiPlatforms.issuer, issuer),
          eq(ltiPlatforms.status, 'live'),
          clientId === undefined ? undefined : eq(ltiPlatforms.clientId, clientId),
        ),
      )
      .orderBy(asc(ltiPlatforms.createdAt))
      .limit(2),
  )
  return rows.length === 1 ? (rows[0] as LtiPlatform) : null
}

export const newNonce = () => toBase64Url(crypto.getRandomValues(new Uint8Array(24)))

/** The platform's authentication request (LTI Core 1.3 §5.1.1.2), the id_token to come back by form post. */
export function authenticationUrl(
  platform: LtiPlatform,
  login: LoginRequest,
  { redirectUri, state, nonce }: { redirectUri: string; state: string; nonce: string },
): string {
  const url = new URL(platform.authLoginUrl)
  const params = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: platform.clientId,
    redirect_uri: redirectUri,
    login_hint: login.login_hint ?? '',
    state,
    nonce,
    ...(login.lti_message_hint !== undefined && { lti_message_hint: login.lti_message_hint }),
  }
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
  return url.toString()
}
