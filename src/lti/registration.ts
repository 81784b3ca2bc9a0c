/**
 * LTI Dynamic Registration (1EdTech LTI-DR 1.0): an LMS admin pastes /lti/register into the LMS, which
 * opens it with its OpenID configuration URL and a registration token. We read the configuration
 * (its issuer must be where the URL lives), register the tool at its registration endpoint at once
 * (Moodle's token lasts an hour) and keep the platform as a draft that an admin approves in the
 * studio: nobody becomes trusted by pasting a URL.
 */
import type { Db } from '../db/client.ts'
import { registerPlatform } from './platforms.ts'

export class RegistrationFailed extends Error {}

type PlatformConfiguration = {
  issuer: string
  authorization_endpoint: string
  token_endpoint: string
  jwks_uri: string
  registration_endpoint: string
  'https://purl.imsglobal.org/spec/lti-platform-configuration'?: { product_family_code?: string }
}

const SCOPES = [
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
]

async function fetchJson(url: string, init: RequestInit, what: string): Promise<Record<string, unknown>> {
  let res: Response
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) })
  } catch {
    throw new RegistrationFailed(`${what} could not be reached`)
  }
  if (!res.ok) throw new RegistrationFailed(`${what} answered ${res.status}`)
  try {
    return (await res.json()) as Record<string, unknown>
  } catch {
    throw new RegistrationFailed(`${what} did not answer JSON`)
  }
}

const isUrl = (value: unknown, https: boolean): value is string =>
  typeof value === 'string' && (https ? /^https:\/\//.test(value) : /^https?:\/\//.test(value))

/** The platform's configuration, checked: every endpoint a URL, and its issuer where the URL lives. */
async function configurationAt(url: string, https: boolean): Promise<PlatformConfiguration> {
  if (!isUrl(url, https))
    throw new RegistrationFailed(`its configuration URL must be ${https ? 'https' : 'http(s)'}`)
  const config = await fetchJson(url, { headers: { Accept: 'application/json' } }, 'its configuration URL')
  for (const key of [
    'issuer',
    'authorization_endpoint',
    'token_endpoint',
    'jwks_uri',
    'registration_endpoint',
  ]) {
    if (!isUrl(config[key], https)) throw new RegistrationFailed(`its configuration has no usable ${key}`)
  }
  const issuer = String(config.issuer).replace(/\/$/, '')
  if (!url.startsWith(`${issuer}/`) && url !== issuer)
    throw new RegistrationFailed(
      `its configuration names the issuer ${issuer}, which is not where the configuration lives`,
    )
  return config as unknown as PlatformConfiguration
}

/** Registers the tool with the platform and keeps the platform as a draft: its name and id. */
export async function registerDynamically(
  db: Db,
  {
    configurationUrl,
    token,
    origin,
    https,
  }: { configurationUrl: string; token?: string; origin: string; https: boolean },
) {
  const config = await configurationAt(configurationUrl, https)
  const registration = {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: `${origin}/lti/login`,
    redirect_uris: [`${origin}/lti/launch`],
    client_name: 'Learning progress',
    jwks_uri: `${origin}/lti/jwks`,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: SCOPES.join(' '),
    'https://purl.imsglobal.org/spec/lti-tool-configuration': {
      domain: new URL(origin).host,
      target_link_uri: `${origin}/`,
      claims: ['iss', 'sub', 'name'],
      messages: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest' }],
    },
  }
  const answer = await fetchJson(
    config.registration_endpoint,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token && { Authorization: `Bearer ${token}` }) },
      body: JSON.stringify(registration),
    },
    'its registration endpoint',
  )
  const clientId = answer.client_id
  if (typeof clientId !== 'string' || clientId === '')
    throw new RegistrationFailed('its registration gave no client id')
  const tool = answer['https://purl.imsglobal.org/spec/lti-tool-configuration'] as
    | { deployment_id?: unknown }
    | undefined
  const deployment = tool?.deployment_id
  const family = config['https://purl.imsglobal.org/spec/lti-platform-configuration']?.product_family_code
  // Kept as the platform says it: its id_tokens' `iss` is compared with it exactly.
  const issuer = config.issuer
  return registerPlatform(
    db,
    'dynamic registration',
    {
      name: `${family ?? 'LMS'} at ${new URL(issuer).host}`,
      issuer,
      clientId,
      deploymentIds: typeof deployment === 'string' && deployment ? [deployment] : [],
      authLoginUrl: config.authorization_endpoint,
      accessTokenUrl: config.token_endpoint,
      jwksUrl: config.jwks_uri,
    },
    'draft',
  )
}
