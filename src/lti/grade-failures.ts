/**
 * Grades that never reached their platform (the dead-letter queue's record, or a refusal that would
 * not change), for the studio: listed newest first, and sent again once whatever was wrong is fixed.
 */
import { desc, eq, isNotNull, sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { learners, ltiGradeLinks, ltiPlatforms, ltiScores } from '../db/schema.ts'

/** The 100 newest failures: enough to see what went wrong; sending them again clears them all. */
const SHOWN = 100

export const listFailedScores = (db: Db) =>
  retryReads(() =>
    db
      .select({
        platform: ltiPlatforms.name,
        learner: sql<string>`coalesce(${learners.displayName}, ${ltiGradeLinks.subject})`,
        link: ltiGradeLinks.label,
        targetKind: ltiGradeLinks.targetKind,
        targetId: ltiGradeLinks.targetId,
        score: ltiScores.score,
        scoredAt: ltiScores.scoredAt,
        failedAt: sql<Date>`${ltiScores.failedAt}`,
        reason: sql<string>`coalesce(${ltiScores.lastError}, 'the platform did not take it')`,
      })
      .from(ltiScores)
      .innerJoin(ltiGradeLinks, eq(ltiGradeLinks.id, ltiScores.linkId))
      .innerJoin(ltiPlatforms, eq(ltiPlatforms.id, ltiGradeLinks.platformId))
      .innerJoin(learners, eq(learners.id, ltiGradeLinks.learnerId))
      .where(isNotNull(ltiScores.failedAt))
      .orderBy(desc(ltiScores.failedAt), desc(ltiScores.id))
      .limit(SHOWN),
  )

/** Every failed score pending again: the links whose newest the queue is to send. */
export async function retryFailedScores(db: Db) {
  const rows = await db
    .update(ltiScores)
    .set({ failedAt: null, lastError: null })
    .where(isNotNull(ltiScores.failedAt))
    .returning({ linkId: ltiScores.linkId })
  return [...new Set(rows.map((row) => row.linkId))]
}
