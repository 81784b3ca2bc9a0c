/**
 * The grade outbox's write side: what a submit reports to the learner's grade links (AGS), added in
 * the submit's own batch so that the one-round-trip submit stays one round trip. The queue is told
 * afterwards, in `waitUntil`; the row is what counts, the message only says where to look.
 */
import { and, eq, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { ltiGradeLinks, ltiScores } from '../db/schema.ts'
import type { Decision } from '../mastery/decide.ts'

export type ScoreTarget = { kind: 'activity' | 'unit' | 'skill'; id: string; score: number }

const percent = (ratio: number) => Math.min(100, Math.max(0, ratio * 100))
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length

/**
 * What a submit reports: the activity its score ratio; each unit whose mastery it changed, and the
 * skill when its mastery changed, their mastery (all out of 100).
 */
export function scoreTargets(
  place: { activityId: string; skillId: string },
  { grade, knowledge, state }: Decision,
): ScoreTarget[] {
  const ratio = grade.maxScore > 0 ? grade.score / grade.maxScore : 0
  const targets: ScoreTarget[] = [{ kind: 'activity', id: place.activityId, score: percent(ratio) }]
  for (const unit of knowledge)
    if (unit.after !== unit.before)
      targets.push({ kind: 'unit', id: unit.unitId, score: percent(unit.after) })
  // The skill's mastery is the mean of its units' (mastery/knowledge.ts): it moved if theirs did.
  const before = knowledge.length > 0 ? mean(knowledge.map((unit) => unit.before)) : state.masteryScore
  if (state.masteryScore !== before)
    targets.push({ kind: 'skill', id: place.skillId, score: percent(state.masteryScore) })
  return targets
}

/**
 * The scores of the learner's grade links that name one of the targets, timestamped `at`, only
 * `when` it holds. Returns the links it scored: what the queue is told.
 */
export function addScores(db: Db, learnerId: string | SQL, targets: ScoreTarget[], at: Date, when: SQL) {
  const given = sql`jsonb_to_recordset(${JSON.stringify(targets)}::jsonb) AS t(kind text, id uuid, score float8)`
  return db
    .insert(ltiScores)
    .select(
      db
        .select({
          id: sql`gen_random_uuid()`.as('id'),
          linkId: ltiGradeLinks.id,
          score: sql`t.score`.as('score'),
          scoredAt: sql`${at.toISOString()}::timestamptz`.as('scored_at'),
          lastError: sql`NULL`.as('last_error'),
          failedAt: sql`NULL::timestamptz`.as('failed_at'),
        })
        .from(ltiGradeLinks)
        .innerJoin(given, sql`${ltiGradeLinks.targetKind} = t.kind AND ${ltiGradeLinks.targetId} = t.id`)
        .where(and(eq(ltiGradeLinks.learnerId, learnerId), when)),
    )
    .returning({ linkId: ltiScores.linkId })
}
