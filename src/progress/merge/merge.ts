/**
 * Merging an anonymous learner (the source: this device's learner, no passkey, no other live
 * session) into the learner of the passkey they sign in with (the target). Read, plan, write:
 *
 * 1. read (the sign-in's first round trip): the history both learners have on the skills the source
 *    touched, those skills' activities, and every version the plan depends on;
 * 2. plan (in the Worker): each such skill's state, replayed from both histories together through
 *    the model (mastery/replay.ts);
 * 3. write (the sign-in's batch): lock both learners in id order; assert nothing the plan read has
 *    changed (`merge_unchanged`, and the whole sign-in runs again); abandon the older of two open
 *    attempts on one activity; move every attempt; store the replayed states at a version above
 *    both; delete the source (its keys, states and sessions go with it).
 */
import { and, asc, eq, inArray, ne, or, type SQL, sql } from 'drizzle-orm'
import { AssertionFailed, batchAssert } from '../../db/assert.ts'
import type { Db } from '../../db/client.ts'
import { withRetries } from '../../db/retry.ts'
import {
  activities,
  attempts,
  classMembers,
  learners,
  passkeys,
  sessions,
  skillStates,
  units,
} from '../../db/schema.ts'
import { ApiError } from '../../errors.ts'
import { type Replayed, replaySkill } from '../../mastery/replay.ts'
import type { MasteryState } from '../../mastery/state.ts'
import { IDLE_LIMIT, learnerIdOf, liveSession } from '../../session/learner.ts'
import { completedHistory, creditRewrite, replayable, replayedSkill, skillActivities } from './history.ts'

const count = (query: SQL) => sql<number>`(${query})`.mapWith(Number)

const isStaleMerge = (error: unknown) =>
  error instanceof AssertionFailed && error.assertion === 'merge_unchanged'

/**
 * A merge from its read to its write, again while either learner wrote in between
 * (`merge_unchanged`): four tries with jitter settle it; after that, a 503 that says `again`.
 */
export async function withMergeRetries<T>(run: () => Promise<T>, again: string): Promise<T> {
  try {
    return await withRetries(run, {
      tries: 4,
      retryOn: isStaleMerge,
      delayMs: (attempt) => Math.random() * 20 * 2 ** attempt,
    })
  } catch (error) {
    if (!isStaleMerge(error)) throw error
    throw new ApiError('database_unavailable', again, { cause: error, headers: { 'Retry-After': '1' } })
  }
}

/**
 * This device's learner as a merge source, for the sign-in options (what merging would bring) and
 * the sign-in itself: whether they have a passkey or another live device, and what they have done.
 */
export const sourceOf = (db: Db, hash: string) =>
  db
    .select({
      learnerId: learners.id,
      passkeys: count(sql`SELECT count(*) FROM ${passkeys} WHERE ${passkeys.learnerId} = ${learners.id}`),
      otherSessions: count(
        sql`SELECT count(*) FROM ${sessions} s WHERE s.learner_id = ${learners.id} AND s.token_hash <> ${hash}
          AND s.last_used_at > now() - ${IDLE_LIMIT}`,
      ),
      attempts: count(sql`SELECT count(*) FROM ${attempts} WHERE ${attempts.learnerId} = ${learners.id}`),
      skills: count(sql`SELECT count(*) FROM ${skillStates} WHERE ${skillStates.learnerId} = ${learners.id}`),
      // As an ISO string in UTC, to the millisecond (as the attempts' own timestamps are presented).
      // `${learners}.id`, not `${learners.id}`: drizzle leaves the latter unqualified here, and inside
      // the subquery an unqualified "id" is the attempt's.
      lastActivityAt: sql<
        string | null
      >`(SELECT to_char(max(greatest(t.started_at, t.completed_at)) AT TIME ZONE 'UTC',
        'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM ${attempts} t WHERE t.learner_id = ${learners}.id)`,
    })
    .from(learners)
    .where(eq(learners.id, learnerIdOf(hash)))

export type MergeSource = Awaited<ReturnType<typeof sourceOf>>[number]

/** What signing in with `merge: true` would bring over, or why it is not allowed. */
export function mergePreview(source: MergeSource) {
  const reason =
    source.passkeys > 0
      ? ('has_passkey' as const)
      : source.otherSessions > 0
        ? ('other_sessions' as const)
        : null
  return {
    allowed: reason === null,
    reason,
    attempts: source.attempts,
    skills: source.skills,
    lastActivityAt: source.lastActivityAt,
  }
}

/** The skills a merge recomputes: where the source completed an attempt or has a state. */
const affectedSkills = (source: SQL | string) => sql`(
  SELECT u.skill_id FROM ${attempts} t
    JOIN ${activities} a ON a.id = t.activity_id JOIN ${units} u ON u.id = a.unit_id
  WHERE t.learner_id = ${source} AND t.status = 'completed'
  UNION SELECT s.skill_id FROM ${skillStates} s WHERE s.learner_id = ${source})`

/** Everything the plan needs, for the sign-in's read batch (`source` and `target` are subqueries). */
export function mergeReads(db: Db, source: SQL, target: SQL) {
  return {
    history: completedHistory(
      db,
      and(
        sql`${attempts.learnerId} IN (${source}, ${target})`,
        sql`${units.skillId} IN ${affectedSkills(source)}`,
      ),
    ),
    skillActivities: skillActivities(db, sql`${units.skillId} IN ${affectedSkills(source)}`),
    versions: db
      .select({
        learnerId: skillStates.learnerId,
        skillId: skillStates.skillId,
        version: skillStates.version,
      })
      .from(skillStates)
      .where(
        or(
          eq(skillStates.learnerId, source),
          and(eq(skillStates.learnerId, target), sql`${skillStates.skillId} IN ${affectedSkills(source)}`),
        ),
      ),
  }
}

type MergeReads = { [K in keyof ReturnType<typeof mergeReads>]: Awaited<ReturnType<typeof mergeReads>[K]> }

export type MergePlan = {
  sourceId: string
  targetId: string
  /** Every attempt of the source (all of them move), as read: the batch asserts it is unchanged. */
  attempts: number
  /** Every version the plan read, `learner:skill` → version: the batch asserts they are unchanged. */
  versions: Record<string, number>
  affectedSkillIds: string[]
  /** The replayed state of each affected skill, with the version it is stored at. */
  states: { skillId: string; state: MasteryState; version: number }[]
  /** The replayed credit of every attempt, rewritten into their feedback with the states. */
  credit: Replayed['credit']
}

/** The replayed states, from what `mergeReads` read: pure. */
export function planMerge(source: MergeSource, targetId: string, read: MergeReads): MergePlan {
  const versions = Object.fromEntries(
    read.versions.map((row) => [`${row.learnerId}:${row.skillId}`, row.version]),
  )
  const affectedSkillIds = [...new Set(read.skillActivities.map((row) => row.skillId))]
  const credit: Replayed['credit'] = new Map()
  const states = affectedSkillIds.flatMap((skillId) => {
    const replayed = replaySkill(
      replayedSkill(read.skillActivities, skillId),
      replayable(read.history, skillId),
    )
    for (const [id, questions] of replayed.credit) credit.set(id, questions)
    const { state } = replayed
    if (!state) return []
    const above = Math.max(
      versions[`${source.learnerId}:${skillId}`] ?? 0,
      versions[`${targetId}:${skillId}`] ?? 0,
    )
    return [{ skillId, state, version: above + 1 }]
  })
  return {
    sourceId: source.learnerId,
    targetId,
    attempts: source.attempts,
    versions,
    affectedSkillIds,
    states,
    credit,
  }
}

/** The merge's statements, for the sign-in's write batch; `deviceHash` is this device's session. */
export function mergeStatements(db: Db, plan: MergePlan, deviceHash: string) {
  const { sourceId, targetId } = plan
  const versionsNow = sql`(
    SELECT coalesce(jsonb_object_agg(s.learner_id::text || ':' || s.skill_id::text, s.version), '{}'::jsonb)
    FROM ${skillStates} s
    WHERE s.learner_id = ${sourceId}
      OR (s.learner_id = ${targetId} AND ${inArray(sql`s.skill_id`, plan.affectedSkillIds)}))`
  const unchanged = sql`
    (SELECT count(*) FROM ${attempts} WHERE ${attempts.learnerId} = ${sourceId}) = ${plan.attempts}
    AND NOT EXISTS (SELECT 1 FROM ${passkeys} WHERE ${passkeys.learnerId} = ${sourceId})
    AND EXISTS (SELECT 1 FROM ${sessions} WHERE ${and(liveSession(deviceHash), eq(sessions.learnerId, sourceId))})
    AND NOT EXISTS (SELECT 1 FROM ${sessions} s WHERE s.learner_id = ${sourceId} AND s.token_hash <> ${deviceHash}
      AND s.last_used_at > now() - ${IDLE_LIMIT})
    AND ${versionsNow} = ${JSON.stringify(plan.versions)}::jsonb`
  return {
    bothLocked: db
      .select({ id: learners.id })
      .from(learners)
      .where(inArray(learners.id, [sourceId, targetId]))
      .orderBy(asc(learners.id))
      .for('update'),
    mergeUnchanged: batchAssert(db, unchanged, 'merge_unchanged'),
    duplicatesAbandoned: db.execute(sql`
      UPDATE ${attempts} a SET status = 'abandoned'
      WHERE a.learner_id IN (${sourceId}, ${targetId}) AND a.status = 'in_progress'
        AND EXISTS (
          SELECT 1 FROM ${attempts} b
          WHERE b.learner_id IN (${sourceId}, ${targetId}) AND b.learner_id <> a.learner_id
            AND b.activity_id = a.activity_id AND b.status = 'in_progress'
            AND (b.started_at, b.id) > (a.started_at, a.id))`),
    attemptsMoved: db.update(attempts).set({ learnerId: targetId }).where(eq(attempts.learnerId, sourceId)),
    // The classes the device's learner joined are the merged learner's too (kept from the earlier join).
    classesMoved: db.execute(sql`
      INSERT INTO ${classMembers} (class_id, learner_id, joined_at)
      SELECT class_id, ${targetId}, joined_at FROM ${classMembers} WHERE learner_id = ${sourceId}
      ON CONFLICT (class_id, learner_id) DO UPDATE SET joined_at = least(${classMembers.joinedAt}, excluded.joined_at)`),
    creditReplayed: creditRewrite(db, plan.credit),
    ...Object.fromEntries(
      plan.states.map(({ skillId, state, version }, i) => [
        `state${i}`,
        db
          .insert(skillStates)
          .values({ learnerId: targetId, skillId, ...state, version })
          .onConflictDoUpdate({
            target: [skillStates.learnerId, skillStates.skillId],
            set: { ...state, version },
          }),
      ]),
    ),
    sourceDeleted: db.delete(learners).where(and(eq(learners.id, sourceId), ne(learners.id, targetId))),
  }
}
