/**
 * Item statistics for authors, computed in SQL from the stored feedback of completed attempts, in the
 * spirit of Moodle's quiz statistics, per content version (an edited question is another question):
 * - facility index: the share of responses that got the question right;
 * - discrimination: Pearson's correlation between getting the question right (0/1) and the rest of
 *   the score (the attempt's score without this question's points). Near 1: the question separates
 *   strong from weak; near 0 or negative: it does not (or is misleading). Null when undefined
 *   (fewer than two responses, or no variation).
 */
import { and, eq, type SQL, sql } from 'drizzle-orm'
import { batchByName } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { activities, activityVersions, attempts } from '../db/schema.ts'
import { attemptRatio } from '../progress/queries.ts'

/** An activity's content version as SQL: the one asked for, or its current one. */
export const chosenVersion = (activityId: string, version: number | undefined): SQL =>
  version
    ? sql`${version}::int`
    : sql`(SELECT ${activities.contentVersion} FROM ${activities} WHERE ${activities.id} = ${activityId})`

/** The activity at that version: its name, that version's content, and which version is current. */
export const versionRead = (db: Db, activityId: string, chosen: SQL) =>
  db
    .select({
      name: activities.name,
      content: activityVersions.content,
      version: activityVersions.version,
      current: activities.contentVersion,
    })
    .from(activityVersions)
    .innerJoin(activities, eq(activities.id, activityVersions.activityId))
    .where(and(eq(activityVersions.activityId, activityId), sql`${activityVersions.version} = ${chosen}`))

/** The statements of an activity's statistics for one content version (the current one by default). */
function activityStats(db: Db, activityId: string, version?: number) {
  const chosen = chosenVersion(activityId, version)
  const ofVersion = and(eq(attempts.activityId, activityId), sql`${attempts.contentVersion} = ${chosen}`)
  const completed = sql`${attempts.status} = 'completed'`
  return {
    activity: versionRead(db, activityId, chosen),
    totals: db
      .select({
        started: sql<number>`count(*)`.mapWith(Number),
        completed: sql<number>`count(*) FILTER (WHERE ${completed})`.mapWith(Number),
        abandoned: sql<number>`count(*) FILTER (WHERE ${attempts.status} = 'abandoned')`.mapWith(Number),
        inProgress: sql<number>`count(*) FILTER (WHERE ${attempts.status} = 'in_progress')`.mapWith(Number),
        meanScoreRatio: sql<number | null>`avg(${attemptRatio}) FILTER (WHERE ${completed})`.mapWith((v) =>
          v === null ? null : Number(v),
        ),
        passRate: sql<number | null>`avg(${attempts.passed}::int) FILTER (WHERE ${completed})`.mapWith((v) =>
          v === null ? null : Number(v),
        ),
      })
      .from(attempts)
      .where(ofVersion),
    perQuestion: db.execute<{
      question_id: string
      responses: string
      facility: number | null
      discrimination: number | null
    }>(sql`
      SELECT f->>'questionId' AS question_id,
        count(*) AS responses,
        avg(((f->>'correct')::boolean)::int)::float8 AS facility,
        corr(((f->>'correct')::boolean)::int, ${attempts.score} - (f->>'pointsAwarded')::int) AS discrimination
      FROM ${attempts} CROSS JOIN LATERAL jsonb_array_elements(${attempts.feedback}) f
      WHERE ${ofVersion} AND ${completed}
      GROUP BY 1`),
  }
}

/** An activity's item statistics (one round trip); null when it has no such version. */
export async function readActivityStats(db: Db, activityId: string, version?: number) {
  const { named } = await retryReads(() => batchByName(db, activityStats(db, activityId, version)))
  const [activity] = named.activity
  const [totals] = named.totals
  return activity ? { activity, totals, perQuestion: named.perQuestion.rows } : null
}
