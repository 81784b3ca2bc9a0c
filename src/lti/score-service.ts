/**
 * The platform's side of a grade (LTI AGS 2.0): where a line item's scores go, a line item made for a
 * link whose launch named none, and one score posted. Plain values in; what the platform said out.
 */

import { SCOPES, ServiceError, type TokenPlatform, withToken } from './access-token.ts'
import type { ToolKeys } from './keys.ts'

export type ScoreLink = {
  platform: TokenPlatform
  subject: string
  resourceLinkId: string
  label: string
  lineItemUrl: string | null
  lineItemsUrl: string | null
}

const SCORE_SCOPES = [SCOPES.score, SCOPES.lineItem] as const

/** AGS §3.4.1: the line item's URL with `/scores` added to its path, its query kept. */
function scoresUrl(lineItemUrl: string) {
  const url = new URL(lineItemUrl)
  url.pathname = `${url.pathname.replace(/\/$/, '')}/scores`
  return url.toString()
}

/** A platform's answer as a ServiceError: 5xx and 429 are worth another try, other refusals are not. */
const refusal = (what: string, res: Response) =>
  new ServiceError(`the platform answered ${res.status} to ${what}`, res.status >= 500 || res.status === 429)

/** The call, with a network failure or timeout worth another try. */
async function reach(call: () => Promise<Response>) {
  try {
    return await call()
  } catch (error) {
    if (error instanceof ServiceError) throw error
    throw new ServiceError('the platform could not be reached', true)
  }
}

/** The link's line item: the launch's, else the link's own in the container, made when it has none. */
export async function lineItemOf(link: ScoreLink, tool: ToolKeys): Promise<string> {
  if (link.lineItemUrl) return link.lineItemUrl
  if (!link.lineItemsUrl) throw new ServiceError('the platform gave no line item for this link', false)
  const container = link.lineItemsUrl
  const listUrl = new URL(container)
  listUrl.searchParams.set('resource_link_id', link.resourceLinkId)
  const listed = await reach(() =>
    withToken(link.platform, SCORE_SCOPES, tool, (token) =>
      fetch(listUrl, {
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
        },
        signal: AbortSignal.timeout(10_000),
      }),
    ),
  )
  if (!listed.ok) throw refusal('the line items request', listed)
  const items = (await listed.json()) as { id?: unknown; resourceLinkId?: unknown }[]
  const own = Array.isArray(items)
    ? items.find((item) => item.resourceLinkId === link.resourceLinkId && typeof item.id === 'string')
    : undefined
  if (own) return own.id as string
  const made = await reach(() =>
    withToken(link.platform, SCORE_SCOPES, tool, (token) =>
      fetch(container, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/vnd.ims.lis.v2.lineitem+json',
          Accept: 'application/vnd.ims.lis.v2.lineitem+json',
        },
        body: JSON.stringify({ scoreMaximum: 100, label: link.label, resourceLinkId: link.resourceLinkId }),
        signal: AbortSignal.timeout(10_000),
      }),
    ),
  )
  if (!made.ok) throw refusal('creating a line item', made)
  const item = (await made.json()) as { id?: unknown }
  if (typeof item.id !== 'string')
    throw new ServiceError('the platform made a line item without an id', false)
  return item.id
}

/**
 * Posts one score: Completed and FullyGraded, out of 100 (Moodle drops a score that is not fully
 * graded). `taken` when the platform stored it; `superseded` when it holds a later one (409).
 */
export async function postScore(
  link: ScoreLink,
  lineItemUrl: string,
  score: { given: number; timestamp: Date },
  tool: ToolKeys,
): Promise<'taken' | 'superseded'> {
  const res = await reach(() =>
    withToken(link.platform, SCORE_SCOPES, tool, (token) =>
      fetch(scoresUrl(lineItemUrl), {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/vnd.ims.lis.v1.score+json',
        },
        body: JSON.stringify({
          userId: link.subject,
          scoreGiven: Math.round(score.given * 100) / 100,
          scoreMaximum: 100,
          activityProgress: 'Completed',
          gradingProgress: 'FullyGraded',
          timestamp: score.timestamp.toISOString(),
        }),
        signal: AbortSignal.timeout(10_000),
      }),
    ),
  )
  if (res.status === 409) return 'superseded'
  if (!res.ok) throw refusal('the score', res)
  return 'taken'
}
