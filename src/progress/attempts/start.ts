/**
 * Starting an attempt, one round trip: the learner's one attempt in progress on the activity — the
 * one already open (a reload, a second tab), or a new one whose questions are drawn and ordered in
 * SQL (attempt_questions, drizzle/0009) — and, in the same batch, what its submit will need to read:
 * the learner's state on the skill and what they did on each of its activities, what they did with
 * each question of this one (its credit history), the skill's catalogue version. That goes into the submit token (submit-token.ts); the
 * catalogue parts (the content, the skill's structure) into this Worker's cache (submit-snapshot.ts).
 */
import { and, eq, getTableColumns, sql } from 'drizzle-orm'
import { activityPublished, inPublishedSkill } from '../../catalogue/publication.ts'
import { type ActivityContent, activityContent } from '../../content/schema.ts'
import { type Attempt, activities, activityVersions, attempts, units } from '../../db/schema.ts'
import { ApiError } from '../../errors.ts'
import { bktParameters } from '../../mastery/bkt.ts'
import { masteryStateOf } from '../../mastery/state.ts'
import type { LearnerScope } from '../../types.ts'
import { nextDraw, versionOf } from '../queries.ts'
import { type IdempotencyRequest, rowFromSnapshot } from '../write/idempotency.ts'
import { learnerWrite } from '../write/learner-write.ts'
import { rememberCatalogue } from './submit-snapshot.ts'
import { tokenQueries } from './submit-statements.ts'
import { SUBMIT_TOKEN_TTL_MS, signSubmitToken } from './submit-token.ts'

export type Started = {
  attempt: Attempt
  content: ActivityContent
  /** 201 for a new attempt, 200 for the one already in progress. */
  status: 200 | 201
  replayed: boolean
  /** Null on a replay (nothing was read) or when SESSION_SECRETS cannot sign. */
  submitToken: string | null
}

export async function startAttempt(
  scope: LearnerScope,
  activityId: string,
  idempotency: IdempotencyRequest | null,
): Promise<Started> {
  // The id is chosen here so the same batch can read the row back through the typed query builder.
  const attemptId = crypto.randomUUID()
  // The learner's seed for the activity, unless an earlier attempt of theirs on it has one.
  const seed = crypto.getRandomValues(new Int32Array(1))[0] as number
  const written = await learnerWrite(
    scope,
    idempotency,
    ({ db, learnerId, done }) => {
      const open = and(
        eq(attempts.learnerId, learnerId),
        eq(attempts.activityId, activityId),
        eq(attempts.status, 'in_progress'),
      )
      return {
        // Under the learner's lock, so a second start cannot slip in between these two.
        open: db
          .select({ ...getTableColumns(attempts), done })
          .from(attempts)
          .where(open),
        created:
          db.execute(sql`INSERT INTO ${attempts} (id, learner_id, activity_id, content_version, seed, ordinal, questions)
          SELECT ${attemptId}, ${learnerId}, ${activities.id}, ${activities.contentVersion}, d.seed, d.ordinal,
            attempt_questions(${activities.content}, d.seed, d.ordinal)
          FROM ${activities} JOIN ${units} ON ${units.id} = ${activities.unitId}
          CROSS JOIN LATERAL (${nextDraw(learnerId, activityId, seed)}) d
          WHERE ${activities.id} = ${activityId} AND ${activityPublished} AND ${inPublishedSkill(units.skillId)}
            AND NOT EXISTS (SELECT 1 FROM ${attempts} WHERE ${open})
          RETURNING ${done}`),
        attempt: db
          .select({ attempt: attempts, content: activityVersions.content })
          .from(attempts)
          .innerJoin(activityVersions, versionOf(attempts))
          .where(open),
        ...tokenQueries(db, learnerId, activityId),
      }
    },
    ({ learnerId }) => ({
      // 201 with the new attempt, or 200 with the one that was open.
      status: sql`CASE WHEN EXISTS (SELECT 1 FROM ${attempts} WHERE ${attempts.id} = ${attemptId}) THEN 201 ELSE 200 END`,
      snapshot: sql`(SELECT jsonb_build_object('attempt', to_jsonb(t), 'version', to_jsonb(v))
        FROM ${attempts} t JOIN ${activityVersions} v ON v.activity_id = t.activity_id AND v.version = t.content_version
        WHERE t.learner_id = ${learnerId} AND t.activity_id = ${activityId} AND t.status = 'in_progress')`,
      resource: `/v1/me/attempts/${attemptId}`,
    }),
  )
  if (written.replay) {
    const { snapshot, status } = written.replay
    return {
      attempt: rowFromSnapshot(attempts, snapshot.attempt),
      content: activityContent.parse(rowFromSnapshot(activityVersions, snapshot.version).content),
      status: status === 201 ? 201 : 200,
      replayed: true,
      submitToken: null,
    }
  }
  const { open, attempt: current, context, state, activities: skillActivities } = written.results
  const [found] = current
  const [skill] = context
  if (!found || !skill) throw new ApiError('not_found', 'No activity with this id.')
  const { attempt } = found
  const content = activityContent.parse(found.content)

  rememberCatalogue(
    { activityId, contentVersion: attempt.contentVersion, ...skill },
    content,
    bktParameters(skill.skillMetadata),
    skillActivities,
  )
  const [stateRow] = state
  const submitToken = await signSubmitToken(scope.env.SESSION_SECRETS, {
    learnerId: attempt.learnerId,
    attemptId: attempt.id,
    activityId,
    contentVersion: attempt.contentVersion,
    questions: attempt.questions.map((question) => question.id),
    seed: attempt.seed,
    ordinal: attempt.ordinal,
    history: skill.history,
    skillId: skill.skillId,
    catalogueVersion: skill.catalogueVersion,
    state: stateRow ? masteryStateOf(stateRow) : null,
    stateVersion: stateRow?.version ?? 0,
    completed: skillActivities.filter((a) => a.completed).map((a) => a.id),
    passed: skillActivities.filter((a) => a.passed).map((a) => a.id),
    expiresAt: Date.now() + SUBMIT_TOKEN_TTL_MS,
  })
  return { attempt, content, status: open.length > 0 ? 200 : 201, replayed: false, submitToken }
}
