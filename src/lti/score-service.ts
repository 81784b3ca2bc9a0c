/**
 * The platform's side of a grade (LTI AGS 2.0): where a line item's scores go, a line item made for a
 * link whose launch named none, and one score posted. Plain values in; what the platform said out.
 */
import { callService, refusal, SCOPES, ServiceError, type TokenPlatform } from './access-token.ts'
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
const LINE_ITEM = 'application/vnd.ims.lis.v2.lineitem+json'

/** AGS §3.4.1: the line item's URL with `/scores` added to its path, its query kept. */
function scoresUrl(lineItemUrl: string) {
  const url = new URL(lineItemUrl)
  url.pathname = `${url.pathname.replace(/\/$/, '')}/scores`
  return url.toString()
}

/** The link's line item: the launch's, else the link's own in the container, made when it has none. */
export async function lineItemOf(link: ScoreLink, tool: ToolKeys): Promise<string> {
  if (link.lineItemUrl) return link.lineItemUrl
  if (!link.lineItemsUrl) throw new ServiceError('the platform gave no line item for this link', false)
  const listUrl = new URL(link.lineItemsUrl)
  listUrl.searchParams.set('resource_link_id', link.resourceLinkId)
  const listed = await callService(link.platform, SCORE_SCOPES, tool, listUrl.toString(), {
    headers: { Accept: 'application/vnd.ims.lis.v2.lineitemcontainer+json' },
  })
  if (!listed.ok) throw refusal('the line items request', listed)
  const items = (await listed.json()) as { id?: unknown; resourceLinkId?: unknown }[]
  const own = Array.isArray(items)
    ? items.find((item) => item.resourceLinkId === link.resourceLinkId && typeof item.id === 'string')
    : undefined
  if (own) return own.id as string
  const made = await callService(link.platform, SCORE_SCOPES, tool, link.lineItemsUrl, {
    method: 'POST',
    headers: { 'Content-Type': LINE_ITEM, Accept: LINE_ITEM },
    body: JSON.stringify({ scoreMaximum: 100, label: link.label, resourceLinkId: link.resourceLinkId }),
  })
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
  const res = await callService(link.platform, SCORE_SCOPES, tool, scoresUrl(lineItemUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/vnd.ims.lis.v1.score+json' },
    body: JSON.stringify({
      userId: link.subject,
      scoreGiven: Math.round(score.given * 100) / 100,
      scoreMaximum: 100,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: score.timestamp.toISOString(),
    }),
  })
  if (res.status === 409) return 'superseded'
  if (!res.ok) throw refusal('the score', res)
  return 'taken'
}
