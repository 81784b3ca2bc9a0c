/** The database's enum types, apart so that every table file can use them without an import cycle. */
import { pgEnum } from 'drizzle-orm/pg-core'
import { SKILL_STATUSES } from '../mastery/state.ts'

export const activityType = pgEnum('activity_type', ['practice', 'quiz', 'test', 'challenge'])
export type ActivityType = (typeof activityType.enumValues)[number]
/** The mastery model's statuses (src/mastery/state.ts), stored as they are named there. */
export const skillStateStatus = pgEnum('skill_state_status', SKILL_STATUSES)
export const attemptStatus = pgEnum('attempt_status', ['in_progress', 'completed', 'abandoned'])
