/**
 * The grade outbox's send side, run by the queue consumer (lti/queue.ts). Queues deliver at least
 * once and in no set order, so a message only names a grade link: the consumer reads each link's
 * newest unsent score (one round trip), sends that one alone, and then (one round trip) records what
 * the platform took and deletes the scores it covered. Timestamps sent to a link strictly increase,
 * to the second: Moodle refuses a score not later than its last one (409, read as superseded).
 */
import { and, desc, eq, inArray, isNull, lt, lte, sql } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import { batchByName, type Statements } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { ltiGradeLinks, ltiPlatforms, ltiScores } from '../db/schema.ts'
import { ServiceError } from './access-token.ts'
import type { ToolKeys } from './keys.ts'
import { lineItemOf, postScore, type ScoreLink } from './score-service.ts'

/** What became of one link's newest score. */
export type Sent =
  | { linkId: string; outcome: 'sent'; lineItemUrl: string; timestamp: Date; covers: Date }
  | { linkId: string; outcome: 'stale'; covers: Date }
  | { linkId: string; outcome: 'nothing' }
  | {
      linkId: string
      outcome: 'failed'
      scoreId: string
      scoredAt: Date
      error: string
      retry: boolean
    }

function pendingScores(db: Db, linkIds: string[]) {
  return retryReads(() =>
    db
      .selectDistinctOn([ltiGradeLinks.id], {
        link: ltiGradeLinks,
        platform: {
          id: ltiPlatforms.id,
          clientId: ltiPlatforms.clientId,
          accessTokenUrl: ltiPlatforms.accessTokenUrl,
        },
        scoreId: ltiScores.id,
        score: ltiScores.score,
        scoredAt: ltiScores.scoredAt,
      })
      .from(ltiGradeLinks)
      .innerJoin(
        ltiPlatforms,
        and(eq(ltiPlatforms.id, ltiGradeLinks.platformId), eq(ltiPlatforms.status, 'live')),
      )
      .innerJoin(ltiScores, and(eq(ltiScores.linkId, ltiGradeLinks.id), isNull(ltiScores.failedAt)))
      .where(inArray(ltiGradeLinks.id, linkIds))
      .orderBy(ltiGradeLinks.id, desc(ltiScores.scoredAt), desc(ltiScores.id)),
  )
}

type Pending = Awaited<ReturnType<typeof pendingScores>>[number]

/** Later than the last timestamp the platform took, by a whole second at least. */
const nextTimestamp = (scoredAt: Date, sentAt: Date | null) =>
  sentAt && scoredAt.getTime() < sentAt.getTime() + 1000 ? new Date(sentAt.getTime() + 1000) : scoredAt

async function sendOne(pending: Pending, tool: ToolKeys): Promise<Sent> {
  const { link } = pending
  // Older than what the platform already has from us: stale, covered by what was sent.
  if (link.coveredAt && pending.scoredAt <= link.coveredAt)
    return { linkId: link.id, outcome: 'stale', covers: link.coveredAt }
  const scoreLink: ScoreLink = { ...link, platform: pending.platform }
  try {
    const lineItemUrl = await lineItemOf(scoreLink, tool)
    const timestamp = nextTimestamp(pending.scoredAt, link.sentAt)
    await postScore(scoreLink, lineItemUrl, { given: pending.score, timestamp }, tool)
    return { linkId: link.id, outcome: 'sent', lineItemUrl, timestamp, covers: pending.scoredAt }
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error
    return {
      linkId: link.id,
      outcome: 'failed',
      scoreId: pending.scoreId,
      scoredAt: pending.scoredAt,
      error: error.message,
      retry: error.retry,
    }
  }
}

/** The link's pending scores up to `at` (inclusive, or not): covered by a newer one. */
const coveredScores = (db: Db, linkId: string, at: Date, inclusive = true) =>
  db
    .delete(ltiScores)
    .where(
      and(
        eq(ltiScores.linkId, linkId),
        isNull(ltiScores.failedAt),
        inclusive ? lte(ltiScores.scoredAt, at) : lt(ltiScores.scoredAt, at),
      ),
    )

/** What an outcome writes, by name. */
function outcomeStatements(db: Db, sent: Sent): [string, BatchItem<'pg'>][] {
  const { linkId } = sent
  if (sent.outcome === 'sent')
    return [
      [
        `sent ${linkId}`,
        db
          .update(ltiGradeLinks)
          .set({ lineItemUrl: sent.lineItemUrl, sentAt: sent.timestamp, coveredAt: sent.covers })
          .where(eq(ltiGradeLinks.id, linkId)),
      ],
      [`covered ${linkId}`, coveredScores(db, linkId, sent.covers)],
    ]
  if (sent.outcome === 'stale') return [[`stale ${linkId}`, coveredScores(db, linkId, sent.covers)]]
  if (sent.outcome !== 'failed') return []
  const noted = [
    `failed ${linkId}`,
    db
      .update(ltiScores)
      .set({ lastError: sent.error, ...(!sent.retry && { failedAt: sql`now()` }) })
      .where(eq(ltiScores.id, sent.scoreId)),
  ] as [string, BatchItem<'pg'>]
  // Retried, the newest is sent again. Final, it is kept as failed, and the older ones behind it go:
  // nothing older may reach the platform instead.
  return sent.retry ? [noted] : [noted, [`behind ${linkId}`, coveredScores(db, linkId, sent.scoredAt, false)]]
}

/** Sends the newest score of each link and records the outcomes: two round trips, whatever the count. */
export async function sendScores(db: Db, linkIds: string[], tool: ToolKeys): Promise<Sent[]> {
  const pending = await pendingScores(db, linkIds)
  const outcomes = await Promise.all(pending.map((one) => sendOne(one, tool)))
  const statements: Statements = Object.fromEntries(outcomes.flatMap((sent) => outcomeStatements(db, sent)))
  if (Object.keys(statements).length > 0) await batchByName(db, statements)
  const seen = new Set(pending.map((one) => one.link.id))
  return [
    ...outcomes,
    ...linkIds.filter((id) => !seen.has(id)).map((linkId): Sent => ({ linkId, outcome: 'nothing' })),
  ]
}

/**
 * The dead-letter queue's consumer: the links' newest pending scores never reached their platform.
 * They are kept as failed, with what the platform last answered; the older ones behind them go.
 */
export const recordFailedScores = (db: Db, linkIds: string[]) => ({
  behind: db.execute(sql`DELETE FROM ${ltiScores} s
    WHERE ${inArray(sql`s.link_id`, linkIds)} AND s.failed_at IS NULL AND EXISTS (
      SELECT 1 FROM ${ltiScores} n WHERE n.link_id = s.link_id AND n.failed_at IS NULL
        AND (n.scored_at, n.id) > (s.scored_at, s.id))`),
  failed: db
    .update(ltiScores)
    .set({
      failedAt: sql`now()`,
      lastError: sql`coalesce(${ltiScores.lastError}, 'the platform did not take it')`,
    })
    .where(and(inArray(ltiScores.linkId, linkIds), isNull(ltiScores.failedAt))),
})

/**
 * Links whose scores waited a quarter of an hour without being sent or given up: the queue was never
 * told (its send failed after the submit committed). The cron tells it again; a retried message has
 * finished its retries well within that time.
 */
export const stalledScoreLinks = (db: Db, at: Date) =>
  db
    .selectDistinct({ linkId: ltiScores.linkId })
    .from(ltiScores)
    .where(and(isNull(ltiScores.failedAt), lt(ltiScores.scoredAt, new Date(at.getTime() - 15 * 60 * 1000))))
