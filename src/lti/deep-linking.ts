/**
 * Deep Linking 2.0: an instructor, from the LMS, picks skills, units or activities of the published
 * catalogue, and the tool answers the platform with a signed LtiDeepLinkingResponse of
 * `ltiResourceLink` items, each carrying its custom parameter (`activity`, `unit` or `skill`) and,
 * when the platform takes grades, a line item out of 100.
 *
 * Between the launch and the answer the request's settings travel in a signed context (an HMAC key
 * derived from SESSION_SECRETS for this purpose; an hour), so the picker's search and its answer
 * need no table.
 */
import { and, asc, eq, ilike, isNotNull, or } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { activities, type LtiPlatform, skills, units } from '../db/schema.ts'
import { toBase64Url } from '../lib/encoding.ts'
import { type DerivedKeys, derivedKeys } from '../session/derived-keys.ts'
import type { DeepLinkingSettings } from './claims.ts'
import { signJwt } from './jwt.ts'
import type { ToolKeys } from './keys.ts'
import { open, seal } from './sealed.ts'

export type DeepLinkContext = DeepLinkingSettings & {
  platformId: string
  deploymentId: string
  issuedAt: number
}

const MAX_AGE_MS = 60 * 60 * 1000

export const contextKeys = (secrets: readonly string[] | undefined) => derivedKeys(secrets, 'lti-deep-link')

export const signContext = (keys: DerivedKeys, context: DeepLinkContext) => seal(keys, context)

/** The context, when we signed it less than an hour ago; otherwise null. */
export async function verifyContext(
  keys: DerivedKeys,
  value: string,
  now = Date.now(),
): Promise<DeepLinkContext | null> {
  const context = (await open(keys, value)) as DeepLinkContext | null
  return context && typeof context.issuedAt === 'number' && now - context.issuedAt <= MAX_AGE_MS
    ? context
    : null
}

/** The published catalogue as skill › unit › activity rows, in order; names matching `query` when given. One round trip. */
export function pickable(db: Db, query: string | undefined) {
  const words = query?.trim() ? `%${query.trim().replace(/[%_\\]/g, (c) => `\\${c}`)}%` : undefined
  return retryReads(() =>
    db
      .select({
        skillId: skills.id,
        skill: skills.name,
        unitId: units.id,
        unit: units.name,
        activityId: activities.id,
        activity: activities.name,
      })
      .from(activities)
      .innerJoin(units, eq(units.id, activities.unitId))
      .innerJoin(skills, eq(skills.id, units.skillId))
      .where(
        and(
          isNotNull(activities.publishedAt),
          isNotNull(skills.publishedAt),
          words
            ? or(ilike(skills.name, words), ilike(units.name, words), ilike(activities.name, words))
            : undefined,
        ),
      )
      .orderBy(
        asc(skills.name),
        asc(units.order),
        asc(units.name),
        asc(activities.order),
        asc(activities.name),
      )
      .limit(500),
  )
}

export type Chosen = { kind: 'activity' | 'unit' | 'skill'; id: string; title: string }

/**
 * The signed LtiDeepLinkingResponse for the chosen items. `iat` is 30 s in the past: Moodle's JWT
 * library allows no leeway, and clocks differ.
 */
export function deepLinkingResponse(
  tool: ToolKeys,
  platform: LtiPlatform,
  context: DeepLinkContext,
  chosen: Chosen[],
  launchUrl: string,
  now = Date.now(),
) {
  const iat = Math.floor(now / 1000) - 30
  const items = chosen.map((item) => ({
    type: 'ltiResourceLink',
    title: item.title,
    url: launchUrl,
    custom: { [item.kind]: item.id },
    ...(context.grades && {
      lineItem: { scoreMaximum: 100, label: item.title, resourceId: `${item.kind}:${item.id}` },
    }),
  }))
  return signJwt(
    {
      iss: platform.clientId,
      aud: platform.issuer,
      iat,
      exp: iat + 600,
      nonce: toBase64Url(crypto.getRandomValues(new Uint8Array(16))),
      'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiDeepLinkingResponse',
      'https://purl.imsglobal.org/spec/lti/claim/version': '1.3.0',
      'https://purl.imsglobal.org/spec/lti/claim/deployment_id': context.deploymentId,
      'https://purl.imsglobal.org/spec/lti-dl/claim/content_items': items,
      ...(context.data !== undefined && {
        'https://purl.imsglobal.org/spec/lti-dl/claim/data': context.data,
      }),
    },
    tool.signing.key,
    tool.signing.kid,
  )
}

/** The titles of chosen `kind:id` values, read from the published catalogue (unknown ones dropped). */
export async function chosenItems(db: Db, values: string[]): Promise<Chosen[]> {
  const rows = await pickable(db, undefined)
  return values.flatMap((value): Chosen[] => {
    const [kind, id] = value.split(':') as [Chosen['kind'], string]
    const row = rows.find(
      (r) => (kind === 'skill' ? r.skillId : kind === 'unit' ? r.unitId : r.activityId) === id,
    )
    if (!row || !['skill', 'unit', 'activity'].includes(kind)) return []
    return [
      {
        kind,
        id,
        title: kind === 'skill' ? row.skill : kind === 'unit' ? `${row.skill} › ${row.unit}` : row.activity,
      },
    ]
  })
}
