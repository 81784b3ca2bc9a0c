/**
 * An LTI 1.3 launch's id_token claims (1EdTech LTI Core 1.3 §5), checked against the platform that
 * sent it: plain values in, the launch or the reason it is refused out. The signature is checked
 * before (launch.ts), the nonce's single use after, in the launch's write.
 */
const CLAIM = {
  messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
  version: 'https://purl.imsglobal.org/spec/lti/claim/version',
  deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
  roles: 'https://purl.imsglobal.org/spec/lti/claim/roles',
  custom: 'https://purl.imsglobal.org/spec/lti/claim/custom',
  resourceLink: 'https://purl.imsglobal.org/spec/lti/claim/resource_link',
  context: 'https://purl.imsglobal.org/spec/lti/claim/context',
  deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  gradeService: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  roster: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
} as const

const MESSAGE_TYPES = ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] as const
type MessageType = (typeof MESSAGE_TYPES)[number]

/** Clocks differ: at most this much, either way. */
const SKEW_SECONDS = 5 * 60

export type Platform = { id: string; issuer: string; clientId: string; deploymentIds: string[] }

/** Where a launch lands: a custom parameter naming one of our ids (set by deep linking or a teacher). */
type Target = { kind: 'activity' | 'unit' | 'skill'; id: string } | null

export type Launch = {
  platformId: string
  issuer: string
  subject: string
  nonce: string
  messageType: MessageType
  deploymentId: string
  instructor: boolean
  name: string | undefined
  target: Target
  expiresAt: Date
  /** A deep-linking request's settings: where to send the chosen links back, and what it takes. */
  deepLinking?: DeepLinkingSettings
  /** A resource link whose platform takes grades for it (AGS): where they go. */
  grades?: GradeService
  /** The course, and its membership service (NRPS) when offered. */
  context?: { id: string; title: string; membershipsUrl?: string }
}

type GradeService = {
  resourceLinkId: string
  label: string
  /** The link's own line item; without it, the container to create one in. */
  lineItemUrl?: string
  lineItemsUrl?: string
}

export type DeepLinkingSettings = {
  returnUrl: string
  acceptsMultiple: boolean
  /** Opaque: sent back as it came. */
  data?: string
  /** The platform offered the grade service: each link may carry a line item. */
  grades: boolean
}

export type Refusal = { reason: string; detail: string }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Whether the roles hold one of `names`, in any of LIS's vocabularies (`…/membership#Learner`), by
 * short name (`Learner`, as Moodle's roster gives it), or as a sub-role (`…#Instructor#TeachingAssistant`).
 */
export function hasRole(roles: unknown, names: readonly string[]) {
  if (!Array.isArray(roles)) return false
  const named = new RegExp(`(^|[#/])(${names.join('|')})(#\\w+)?$`)
  return roles.some((role) => named.test(String(role)))
}

/** Instructor, Administrator and ContentDeveloper, and their sub-roles, count as instructor. */
const isInstructor = (roles: readonly string[]) =>
  hasRole(roles, ['Instructor', 'Administrator', 'ContentDeveloper'])

function targetOf(custom: unknown): Target {
  if (typeof custom !== 'object' || custom === null) return null
  for (const kind of ['activity', 'unit', 'skill'] as const) {
    const id = (custom as Record<string, unknown>)[kind]
    if (typeof id === 'string' && UUID.test(id.trim())) return { kind, id: id.trim().toLowerCase() }
  }
  return null
}

const refuse = (reason: string, detail: string): Refusal => ({ reason, detail })

const objectOf = (value: unknown) =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
const urlOf = (value: unknown) =>
  typeof value === 'string' && /^https?:\/\//.test(value) ? value : undefined

/** Where a resource link's grades go (AGS §3.1), when the platform offers the score scope. */
function gradeServiceOf(claims: Record<string, unknown>): GradeService | undefined {
  const service = objectOf(claims[CLAIM.gradeService])
  const link = objectOf(claims[CLAIM.resourceLink])
  const scopes = Array.isArray(service.scope) ? service.scope : []
  const lineItemUrl = urlOf(service.lineitem)
  const lineItemsUrl = urlOf(service.lineitems)
  if (typeof link.id !== 'string' || !scopes.some((s) => String(s).endsWith('/scope/score'))) return undefined
  if (!lineItemUrl && !lineItemsUrl) return undefined
  return {
    resourceLinkId: link.id,
    label: typeof link.title === 'string' && link.title.trim() ? link.title.trim().slice(0, 200) : 'Practice',
    ...(lineItemUrl && { lineItemUrl }),
    ...(lineItemsUrl && { lineItemsUrl }),
  }
}

function contextOf(claims: Record<string, unknown>): Launch['context'] {
  const { id, title, label } = objectOf(claims[CLAIM.context])
  if (typeof id !== 'string' || id === '') return undefined
  const membershipsUrl = urlOf(objectOf(claims[CLAIM.roster]).context_memberships_url)
  const name = [title, label].find((value) => typeof value === 'string' && value.trim()) as string | undefined
  return { id, title: name?.trim().slice(0, 200) ?? 'Course', ...(membershipsUrl && { membershipsUrl }) }
}

/** A deep-linking request's settings, or why they cannot be answered. */
function deepLinkingOf(claims: Record<string, unknown>): DeepLinkingSettings | string {
  const settings = claims[CLAIM.deepLinkingSettings] as Record<string, unknown> | undefined
  const returnUrl = settings?.deep_link_return_url
  if (typeof returnUrl !== 'string' || !/^https?:\/\//.test(returnUrl))
    return 'The deep-linking request says no return URL.'
  const types = settings?.accept_types
  if (!Array.isArray(types) || !types.includes('ltiResourceLink'))
    return 'The platform does not accept links to resources (ltiResourceLink) here.'
  return {
    returnUrl,
    acceptsMultiple: settings?.accept_multiple !== false,
    ...(typeof settings?.data === 'string' && { data: settings.data }),
    grades: typeof claims[CLAIM.gradeService] === 'object' && claims[CLAIM.gradeService] !== null,
  }
}

function audienceProblem(claims: Record<string, unknown>, clientId: string): Refusal | undefined {
  const aud = claims.aud
  const audiences = Array.isArray(aud) ? aud : [aud]
  if (!audiences.includes(clientId))
    return refuse('wrong_audience', 'The launch was meant for another tool (aud).')
  const azp = claims.azp
  if (azp !== undefined && azp !== clientId)
    return refuse('wrong_audience', 'The launch names another tool as its party (azp).')
  if (audiences.length > 1 && azp === undefined)
    return refuse('wrong_audience', 'A launch for several tools must name this one (azp).')
  return undefined
}

function timeProblem(claims: Record<string, unknown>, now: number): Refusal | undefined {
  const { exp, iat } = claims
  if (typeof exp !== 'number' || typeof iat !== 'number')
    return refuse('bad_token', 'The launch has no expiry or issue time.')
  if (exp + SKEW_SECONDS < now / 1000)
    return refuse('expired', 'The launch has expired: start it again from your course.')
  if (iat - SKEW_SECONDS > now / 1000)
    return refuse('not_yet_valid', 'The launch was issued in the future: check the clocks.')
  return undefined
}

/** The launch the claims describe, or why they are refused (in words a teacher can act on). */
export function checkClaims(
  claims: Record<string, unknown>,
  platform: Platform,
  now = Date.now(),
): Launch | Refusal {
  if (claims.iss !== platform.issuer)
    return refuse('wrong_issuer', 'The launch came from another platform (iss).')
  const problem = audienceProblem(claims, platform.clientId) ?? timeProblem(claims, now)
  if (problem) return problem
  const deploymentId = claims[CLAIM.deploymentId]
  if (typeof deploymentId !== 'string' || !platform.deploymentIds.includes(deploymentId))
    return refuse('unknown_deployment', 'This deployment of the tool is not registered here.')
  const messageType = claims[CLAIM.messageType]
  if (!MESSAGE_TYPES.includes(messageType as MessageType))
    return refuse('wrong_message_type', `The message type ${String(messageType)} is not one this tool takes.`)
  if (claims[CLAIM.version] !== '1.3.0') return refuse('wrong_version', 'The launch is not LTI 1.3.0.')
  const roles = claims[CLAIM.roles]
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string'))
    return refuse('no_roles', 'The launch does not say the user’s roles.')
  const { sub, nonce } = claims
  if (typeof sub !== 'string' || sub === '')
    return refuse('no_subject', 'The launch does not say who the user is.')
  if (typeof nonce !== 'string' || nonce === '') return refuse('bad_token', 'The launch has no nonce.')
  const deepLinking = messageType === 'LtiDeepLinkingRequest' ? deepLinkingOf(claims) : undefined
  if (typeof deepLinking === 'string') return refuse('bad_deep_linking', deepLinking)
  const grades = messageType === 'LtiResourceLinkRequest' ? gradeServiceOf(claims) : undefined
  const context = contextOf(claims)
  return {
    ...(deepLinking && { deepLinking }),
    ...(grades && { grades }),
    ...(context && { context }),
    platformId: platform.id,
    issuer: platform.issuer,
    subject: sub,
    nonce,
    messageType: messageType as MessageType,
    deploymentId,
    instructor: isInstructor(roles),
    // A display name as PATCH /v1/me takes one: trimmed, at most 80 characters, no NUL.
    name:
      typeof claims.name === 'string' && claims.name.trim()
        ? claims.name.replaceAll('\u0000', '').trim().slice(0, 80)
        : undefined,
    target: targetOf(claims[CLAIM.custom]),
    expiresAt: new Date(((claims.exp as number) + SKEW_SECONDS) * 1000),
  }
}
