/**
 * Keeping the authors' dashboards at one round trip, however many attempts there are.
 *
 * A watermark ("aggregate everything completed since the last run") would be wrong twice: a submit
 * that commits after a run can carry an earlier `completed_at`, and deletions (a learner deleting
 * themself, merges, an author deleting an activity) would never be subtracted. So:
 *
 * 1. Triggers on `attempts` and `skill_states` (drizzle/0015) append a signed delta to a change log
 *    in the same transaction as the change itself: +1 with the values of a completed attempt that
 *    appears, −1 with those of one that goes, both when one changes. Whatever commits, when it
 *    commits, is in the log; whatever rolls back never was.
 * 2. The Cron Trigger consumes each log in one statement: a `DELETE … RETURNING` of up to
 *    `CONSUME_BATCH` rows (`FOR UPDATE SKIP LOCKED`), grouped and added into the aggregate tables by
 *    upserts of the same statement. A delta is consumed exactly once: two runs at the same time take
 *    disjoint rows, a run that fails deletes nothing, and running again with nothing logged changes
 *    nothing.
 *
 * Deleting an activity (or a skill) deletes its aggregates (foreign keys, ON DELETE CASCADE), and
 * the deltas its cascade logged are dropped when consumed: nothing comes back under its id (a
 * consumer racing the delete fails on the foreign key, rolls back, and the next run drops them). A
 * row whose counts fall to zero stays, and reads skip it.
 *
 * What cannot be kept incrementally is kept in a form that can: the correlation of a question with
 * the rest of the score as integer sums (exact under subtraction), the top and bottom groups of
 * distractor analysis as picks per score band (the groups are chosen from the bands at read time).
 */
import { sql } from 'drizzle-orm'
import { batchByName } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import {
  activities,
  activityDaily,
  activityScoreBands,
  attemptChanges,
  choicePicks,
  questionStats,
  skillStateBands,
  skillStateChanges,
  skills,
} from '../db/schema.ts'

/** Deltas per statement: a bounded transaction, and a bounded response. */
const CONSUME_BATCH = 20_000

/**
 * The per-question rows of a set of completed attempts (a relation `source` with `sign`,
 * `activity_id`, `content_version`, `score`, `max_score`, `feedback`, `response`, `bindings`): the
 * question, whether it was right, the rest of the score, the attempt's band, the answer, and how the
 * attempt's own choice ids map to the authored ones (parameterised questions; null otherwise). Shared by the consumer and by
 * reads computed from raw attempts, so both count the same things the same way.
 */
export const questionRows = (source: string) =>
  sql.raw(`
    SELECT c.sign, c.activity_id, c.content_version, f->>'questionId' AS question_id,
      ((f->>'correct')::boolean)::int AS correct,
      (c.score - (f->>'pointsAwarded')::int)::bigint AS rest,
      score_band(c.score, c.max_score) AS band,
      c.response->'answers'->(f->>'questionId') AS answer,
      c.bindings->(f->>'questionId')->'choices' AS choice_ids
    FROM ${source} c CROSS JOIN LATERAL jsonb_array_elements(coalesce(c.feedback, '[]'::jsonb)) f`)

/** The choices picked in choice questions (a multiple-choice answer picks several), by the attempt's band. */
export const pickRows = (source: string) =>
  sql`
    SELECT q.sign, q.activity_id, q.content_version, q.question_id,
      coalesce(q.choice_ids->>choice.id, choice.id) AS choice_id, q.band
    FROM (${questionRows(source)}) q
      CROSS JOIN LATERAL jsonb_array_elements_text(
        CASE jsonb_typeof(q.answer) WHEN 'array' THEN q.answer WHEN 'string' THEN jsonb_build_array(q.answer)
          ELSE '[]'::jsonb END) AS choice(id)
    WHERE EXISTS (
      SELECT 1 FROM activity_versions v CROSS JOIN LATERAL jsonb_array_elements(v.content->'questions') k
      WHERE v.activity_id = q.activity_id AND v.version = q.content_version
        AND k->>'id' = q.question_id AND k->>'kind' IN ('single_choice', 'multiple_choice'))`

/** Adds `excluded.<column>` to the row's column, for each column: what an upsert of deltas sets. */
const adding = (table: string, columns: string[]) =>
  sql.raw(columns.map((column) => `${column} = ${table}.${column} + excluded.${column}`).join(', '))

/**
 * Up to `batch` of a log's oldest deltas, deleted as they are read; rows another run holds are
 * skipped (SKIP LOCKED), so two runs never consume one delta twice.
 */
const take = (log: typeof attemptChanges | typeof skillStateChanges, batch: number) => sql`
  DELETE FROM ${log} WHERE id IN (SELECT id FROM ${log} ORDER BY id LIMIT ${batch} FOR UPDATE SKIP LOCKED)
  RETURNING *`

/** The consumer of the attempts' log: one statement, the number of deltas it took. */
function consumeAttemptChanges(db: Db, batch = CONSUME_BATCH) {
  return db.execute<{ consumed: number }>(sql`
    WITH taken AS (${take(attemptChanges, batch)}),
    -- A deleted activity's aggregates went with it; its last deltas count for nothing.
    live AS (SELECT t.* FROM taken t WHERE EXISTS (SELECT 1 FROM ${activities} a WHERE a.id = t.activity_id)),
    daily AS (
      INSERT INTO ${activityDaily} AS d (activity_id, content_version, day, completed, passed, ratio_sum)
      SELECT activity_id, content_version, (completed_at AT TIME ZONE 'UTC')::date,
        sum(sign), sum(sign * passed::int), sum(sign * coalesce(score::float8 / nullif(max_score, 0), 0))
      FROM live GROUP BY 1, 2, 3
      ON CONFLICT (activity_id, content_version, day) DO UPDATE SET ${adding('d', ['completed', 'passed', 'ratio_sum'])}
      RETURNING 1
    ),
    bands AS (
      INSERT INTO ${activityScoreBands} AS b (activity_id, content_version, band, attempts)
      SELECT activity_id, content_version, score_band(score, max_score), sum(sign)
      FROM live GROUP BY 1, 2, 3
      ON CONFLICT (activity_id, content_version, band) DO UPDATE SET ${adding('b', ['attempts'])}
      RETURNING 1
    ),
    questions AS (
      INSERT INTO ${questionStats} AS s
        (activity_id, content_version, question_id, responses, correct, rest_sum, rest_squares, correct_rest_sum)
      SELECT activity_id, content_version, question_id, sum(sign), sum(sign * correct),
        sum(sign * rest), sum(sign * rest * rest), sum(sign * correct * rest)
      FROM (${questionRows('live')}) q GROUP BY 1, 2, 3
      ON CONFLICT (activity_id, content_version, question_id) DO UPDATE
        SET ${adding('s', ['responses', 'correct', 'rest_sum', 'rest_squares', 'correct_rest_sum'])}
      RETURNING 1
    ),
    picks AS (
      INSERT INTO ${choicePicks} AS p (activity_id, content_version, question_id, choice_id, band, picks)
      SELECT activity_id, content_version, question_id, choice_id, band, sum(sign)
      FROM (${pickRows('live')}) p GROUP BY 1, 2, 3, 4, 5
      ON CONFLICT (activity_id, content_version, question_id, choice_id, band) DO UPDATE SET ${adding('p', ['picks'])}
      RETURNING 1
    )
    SELECT count(*)::int AS consumed FROM taken`)
}

/** The consumer of the skill states' log: one statement, the number of deltas it took. */
function consumeSkillStateChanges(db: Db, batch = CONSUME_BATCH) {
  return db.execute<{ consumed: number }>(sql`
    WITH taken AS (${take(skillStateChanges, batch)}),
    live AS (SELECT t.* FROM taken t WHERE EXISTS (SELECT 1 FROM ${skills} s WHERE s.id = t.skill_id)),
    bands AS (
      INSERT INTO ${skillStateBands} AS b (skill_id, status, band, learners, passed_one, passed_all)
      SELECT skill_id, status, mastery_band(mastery_score), sum(sign),
        sum(sign * (progress > 0)::int), sum(sign * (progress >= 1)::int)
      FROM live GROUP BY 1, 2, 3
      ON CONFLICT (skill_id, status, band) DO UPDATE SET ${adding('b', ['learners', 'passed_one', 'passed_all'])}
      RETURNING 1
    )
    SELECT count(*)::int AS consumed FROM taken`)
}

/** Rounds of consumption per cron run: at CONSUME_BATCH each, what one run can take at most. */
const MAX_ROUNDS = 50

/**
 * The cron's part: consume both logs until they are empty (or MAX_ROUNDS rounds), one round trip
 * per round (both consumers in one batch). Returns how many deltas were consumed.
 */
export async function consumeChanges(db: Db) {
  let attempts = 0
  let states = 0
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { named } = await batchByName(db, {
      attempts: consumeAttemptChanges(db),
      states: consumeSkillStateChanges(db),
    })
    const [fromAttempts] = named.attempts.rows
    const [fromStates] = named.states.rows
    const took = { attempts: fromAttempts?.consumed ?? 0, states: fromStates?.consumed ?? 0 }
    attempts += took.attempts
    states += took.states
    if (took.attempts < CONSUME_BATCH && took.states < CONSUME_BATCH) break
  }
  return { attemptChanges: attempts, skillStateChanges: states }
}
