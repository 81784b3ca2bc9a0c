/**
 * Authors' analytics, kept so that a dashboard read is one round trip whatever the number of
 * attempts (src/analytics/aggregates.ts explains the whole mechanism):
 *
 * - change logs: triggers on `attempts` and `skill_states` (drizzle/0015) append a signed delta for
 *   every completed attempt that appears, changes or goes, and every skill state that does;
 * - aggregates: the Cron Trigger consumes the logs into these tables in one statement per log.
 *
 * The logs reference nothing: a delta must outlive the row it describes (a deleted learner's attempts
 * are subtracted after they are gone). The aggregates belong to their activity or skill and go with
 * it; the consumer drops the deltas left for one that is gone.
 */
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'
import { skillStateStatus } from './enums.ts'
// schema.ts re-exports this file; `activities` and `skills` are only read lazily, by the references.
import { activities, skills } from './schema.ts'

const sequence = () => bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity()
const activityId = () =>
  uuid()
    .notNull()
    .references(() => activities.id, { onDelete: 'cascade' })
const count = () => integer().notNull().default(0)
const sum = () => bigint({ mode: 'number' }).notNull().default(0)

/** +1 for a completed attempt that appeared (or its new values), −1 for one that went (or its old values). */
export const attemptChanges = pgTable('attempt_changes', {
  id: sequence(),
  sign: smallint().notNull(),
  activityId: uuid().notNull(),
  contentVersion: integer().notNull(),
  completedAt: timestamp({ withTimezone: true }).notNull(),
  score: integer().notNull(),
  maxScore: integer(),
  passed: boolean().notNull(),
  feedback: jsonb(),
  response: jsonb(),
  /** The attempt's instances: maps a parameterised choice question's ids of the attempt to the authored ones. */
  bindings: jsonb(),
})

/** +1 / −1 for a skill state's status, mastery band and passes, as they come and go. */
export const skillStateChanges = pgTable('skill_state_changes', {
  id: sequence(),
  sign: smallint().notNull(),
  skillId: uuid().notNull(),
  status: skillStateStatus().notNull(),
  masteryScore: doublePrecision().notNull(),
  progress: doublePrecision().notNull(),
})

/** Completed attempts per activity, content version and UTC day. */
export const activityDaily = pgTable(
  'activity_daily',
  {
    activityId: activityId(),
    contentVersion: integer().notNull(),
    day: date().notNull(),
    completed: count(),
    passed: count(),
    /** Σ score / maxScore, for the day's mean. */
    ratioSum: doublePrecision().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.contentVersion, t.day] })],
)

/** Completed attempts per score band: band b holds ratios in [b/10, (b+1)/10), the last one 1 too. */
export const activityScoreBands = pgTable(
  'activity_score_bands',
  {
    activityId: activityId(),
    contentVersion: integer().notNull(),
    band: smallint().notNull(),
    attempts: count(),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.contentVersion, t.band] })],
)

/**
 * Per question: responses, correct ones, and the sums Pearson's correlation between correct (x, 0/1)
 * and the rest of the score (y) needs — Σy, Σy², Σxy (Σx = Σx² = correct). Integers, so adding and
 * subtracting deltas is exact.
 */
export const questionStats = pgTable(
  'question_stats',
  {
    activityId: activityId(),
    contentVersion: integer().notNull(),
    questionId: text().notNull(),
    responses: count(),
    correct: count(),
    restSum: sum(),
    restSquares: sum(),
    correctRestSum: sum(),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.contentVersion, t.questionId] })],
)

/** How often each choice of a choice question was picked, per score band of the attempt. */
export const choicePicks = pgTable(
  'choice_picks',
  {
    activityId: activityId(),
    contentVersion: integer().notNull(),
    questionId: text().notNull(),
    choiceId: text().notNull(),
    band: smallint().notNull(),
    picks: count(),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.contentVersion, t.questionId, t.choiceId, t.band] })],
)

/** Learners per skill, status and mastery band (tenths of masteryScore), with how many passed one or all activities. */
export const skillStateBands = pgTable(
  'skill_state_bands',
  {
    skillId: uuid()
      .notNull()
      .references(() => skills.id, { onDelete: 'cascade' }),
    status: skillStateStatus().notNull(),
    band: smallint().notNull(),
    learners: count(),
    passedOne: count(),
    passedAll: count(),
  },
  (t) => [primaryKey({ columns: [t.skillId, t.status, t.band] })],
)
