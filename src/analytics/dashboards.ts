/**
 * The statements behind the authors' dashboards, from either of two sources of the same shape:
 *
 * - `aggregates`: the tables the cron keeps (aggregates.ts), for everyone: a few small index reads,
 *   whatever the number of attempts — at most one cron period (10 minutes) behind;
 * - `live`: the same numbers computed from the raw rows, for one class (its members' attempts are
 *   reached through the learner indexes, so a class of a few hundred costs little), or — with no
 *   class — for everyone, which is what the tests hold the aggregates to.
 *
 * Each dashboard is one batch: one round trip.
 */
import { eq, type SQL, sql } from 'drizzle-orm'
import { batchByName } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import {
  activityDaily,
  activityScoreBands,
  choicePicks,
  classes,
  classMembers,
  questionStats,
  skillStateBands,
  skills,
} from '../db/schema.ts'
import { pickRows, questionRows } from './aggregates.ts'
import { chosenVersion, versionRead } from './item-stats.ts'

export type Source = { kind: 'aggregates' } | { kind: 'live'; classId?: string }

export type DailyRow = { day: string; completed: number; passed: number; ratio_sum: number }
export type BandRow = { band: number; attempts: number }
export type QuestionRow = {
  question_id: string
  responses: number
  correct: number
  rest_sum: number
  rest_squares: number
  correct_rest_sum: number
}
export type PickRow = { question_id: string; choice_id: string; band: number; picks: number }
export type SkillBandRow = {
  status: string
  band: number
  learners: number
  passed_one: number
  passed_all: number
}

/** Numbers as numbers: Postgres sums of bigints arrive as text. */
const numeric = <T extends Record<string, unknown>>(rows: T[], keys: (keyof T)[]): T[] =>
  rows.map((row) => ({ ...row, ...Object.fromEntries(keys.map((key) => [key, Number(row[key])])) }))

/** A class's members, for a `live` read of one class; everyone without one. */
const inClass = (learnerId: SQL, classId: string | undefined) =>
  classId
    ? sql`AND EXISTS (SELECT 1 FROM ${classMembers} m WHERE m.class_id = ${classId} AND m.learner_id = ${learnerId})`
    : sql``

/** The statements of an activity's dashboard for one content version, in one batch. */
export function activityDashboard(db: Db, activityId: string, asked: number | undefined, source: Source) {
  const version = chosenVersion(activityId, asked)
  const activity = versionRead(db, activityId, version)
  if (source.kind === 'aggregates') {
    const of = (table: { activityId: unknown; contentVersion: unknown }) =>
      sql`${table.activityId} = ${activityId} AND ${table.contentVersion} = ${version}`
    return {
      activity,
      daily: db.execute<DailyRow>(sql`SELECT day::text, completed, passed, ratio_sum FROM ${activityDaily}
        WHERE ${of(activityDaily)} AND completed <> 0 ORDER BY day`),
      bands: db.execute<BandRow>(sql`SELECT band, attempts FROM ${activityScoreBands}
        WHERE ${of(activityScoreBands)} AND attempts <> 0`),
      questions:
        db.execute<QuestionRow>(sql`SELECT question_id, responses, correct, rest_sum, rest_squares, correct_rest_sum
        FROM ${questionStats} WHERE ${of(questionStats)} AND responses <> 0`),
      picks: db.execute<PickRow>(sql`SELECT question_id, choice_id, band, picks FROM ${choicePicks}
        WHERE ${of(choicePicks)} AND picks <> 0`),
    }
  }
  // The completed attempts in scope, as the change log would carry them (sign +1).
  const scope = sql`WITH scope AS (
    SELECT 1 AS sign, t.* FROM attempts t
    WHERE t.activity_id = ${activityId} AND t.content_version = ${version} AND t.status = 'completed'
      ${inClass(sql.raw('t.learner_id'), source.classId)})`
  return {
    activity,
    daily: db.execute<DailyRow>(sql`${scope}
      SELECT (completed_at AT TIME ZONE 'UTC')::date::text AS day, count(*)::int AS completed,
        (count(*) FILTER (WHERE passed))::int AS passed,
        sum(coalesce(score::float8 / nullif(max_score, 0), 0)) AS ratio_sum
      FROM scope GROUP BY 1 ORDER BY 1`),
    bands: db.execute<BandRow>(sql`${scope}
      SELECT score_band(score, max_score) AS band, count(*)::int AS attempts FROM scope GROUP BY 1`),
    questions: db.execute<QuestionRow>(sql`${scope}
      SELECT question_id, count(*)::int AS responses, sum(correct)::int AS correct, sum(rest) AS rest_sum,
        sum(rest * rest) AS rest_squares, sum(correct * rest) AS correct_rest_sum
      FROM (${questionRows('scope')}) q GROUP BY 1`),
    picks: db.execute<PickRow>(sql`${scope}
      SELECT question_id, choice_id, band, count(*)::int AS picks FROM (${pickRows('scope')}) p GROUP BY 1, 2, 3`),
  }
}

/** The rows of an activity dashboard's batch with every number a number. */
export function activityRows(
  daily: DailyRow[],
  bands: BandRow[],
  questions: QuestionRow[],
  picks: PickRow[],
) {
  return {
    daily: numeric(daily, ['completed', 'passed', 'ratio_sum']),
    bands: numeric(bands, ['band', 'attempts']),
    questions: numeric(questions, ['responses', 'correct', 'rest_sum', 'rest_squares', 'correct_rest_sum']),
    picks: numeric(picks, ['band', 'picks']),
  }
}

/** The statements of a skill's dashboard, in one batch: the skill, and its learners by status and band. */
export function skillDashboard(db: Db, skillId: string, source: Source) {
  const skill = db.select({ id: skills.id, name: skills.name }).from(skills).where(eq(skills.id, skillId))
  const bands =
    source.kind === 'aggregates'
      ? db.execute<SkillBandRow>(sql`SELECT status, band, learners, passed_one, passed_all FROM ${skillStateBands}
          WHERE skill_id = ${skillId} AND learners <> 0`)
      : db.execute<SkillBandRow>(sql`
          SELECT status, mastery_band(mastery_score) AS band, count(*)::int AS learners,
            (count(*) FILTER (WHERE progress > 0))::int AS passed_one,
            (count(*) FILTER (WHERE progress >= 1))::int AS passed_all
          FROM skill_states s WHERE s.skill_id = ${skillId} ${inClass(sql.raw('s.learner_id'), source.classId)}
          GROUP BY 1, 2`)
  return { skill, bands }
}

export const skillRows = (rows: SkillBandRow[]) =>
  numeric(rows, ['band', 'learners', 'passed_one', 'passed_all'])

/** The class asked for, read in the same batch: a wrong id is a 404, not an empty dashboard. */
const classCheck = (db: Db, classId: string | undefined) =>
  db
    .select({ id: classes.id })
    .from(classes)
    .where(classId ? eq(classes.id, classId) : sql`false`)

const sourceFor = (classId: string | undefined): Source =>
  classId ? { kind: 'live', classId } : { kind: 'aggregates' }

/**
 * An activity's dashboard for one content version (the current one by default), for everyone or
 * for a class: one round trip. The activity is null when it has no such version.
 */
export async function readActivityDashboard(
  db: Db,
  activityId: string,
  asked: number | undefined,
  classId: string | undefined,
) {
  const source = sourceFor(classId)
  const { named } = await retryReads(() =>
    batchByName(db, {
      classFound: classCheck(db, classId),
      ...activityDashboard(db, activityId, asked, source),
    }),
  )
  const [activity = null] = named.activity
  const rows = activityRows(named.daily.rows, named.bands.rows, named.questions.rows, named.picks.rows)
  return { classFound: !classId || named.classFound.length > 0, source, activity, rows }
}

/** A skill's dashboard, for everyone or for a class: one round trip. */
export async function readSkillDashboard(db: Db, skillId: string, classId: string | undefined) {
  const source = sourceFor(classId)
  const { named } = await retryReads(() =>
    batchByName(db, { classFound: classCheck(db, classId), ...skillDashboard(db, skillId, source) }),
  )
  const [skill = null] = named.skill
  return {
    classFound: !classId || named.classFound.length > 0,
    source,
    skill,
    rows: skillRows(named.bands.rows),
  }
}
