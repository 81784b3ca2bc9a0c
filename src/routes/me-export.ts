/**
 * Everything stored about the learner, as one JSON document they can keep (data portability): the
 * profile, devices (never a session id or hash), passkeys (never a key), every attempt with its
 * answers and feedback, every skill state with its review card. One round trip.
 */

import { asc, eq, getTableColumns, sql } from 'drizzle-orm'
import * as z from 'zod'
import {
  attempts,
  classes,
  classMembers,
  passkeys,
  type SkillState,
  sessions,
  skillStates,
  skills,
} from '../db/schema.ts'
import { PRIVATE } from '../http/cache-control.ts'
import { bktParameters } from '../mastery/bkt.ts'
import { jsonResponse } from '../openapi.ts'
import { skillUnitIds } from '../progress/queries.ts'
import { createRouter } from '../router.ts'
import { AttemptSchema, presentAttempt } from '../schemas/attempts.ts'
import { MyClassSchema } from '../schemas/classes.ts'
import { Timestamp } from '../schemas/common.ts'
import { LearnerSchema } from '../schemas/learner.ts'
import { PasskeySchema, presentPasskey } from '../schemas/passkeys.ts'
import { presentSkillState, SkillStateSchema } from '../schemas/progress.ts'
import { DeviceSchema, presentDevice } from '../schemas/sessions.ts'
import { presentLearner, readLearner } from '../session/learner.ts'
import { learnerScope } from '../session/middleware.ts'
import { learnerRoute } from './define.ts'

const ReviewCardSchema = z
  .object({
    stability: z.number().nullable(),
    difficulty: z.number().nullable(),
    state: z
      .int()
      .nullable()
      .meta({ description: 'FSRS card state: 0 new, 1 learning, 2 review, 3 relearning.' }),
    scheduledDays: z.int().nullable(),
    reps: z.int(),
    lapses: z.int(),
    lastReview: Timestamp.nullable(),
  })
  .meta({ id: 'ReviewCard' })

const ExportSchema = z
  .object({
    exportedAt: Timestamp,
    learner: LearnerSchema,
    devices: z.array(DeviceSchema),
    passkeys: z.array(PasskeySchema),
    attempts: z.array(AttemptSchema).meta({ description: 'Every attempt, oldest first.' }),
    skillStates: z.array(
      SkillStateSchema.extend({
        unitKnowledge: z.record(z.string(), z.number()).meta({ description: 'P(L) per unit practised.' }),
        createdAt: Timestamp,
        reviewCard: ReviewCardSchema,
      }).meta({ id: 'ExportedSkillState' }),
    ),
    classes: z.array(MyClassSchema).meta({ description: 'The classes the learner joined.' }),
  })
  .meta({ id: 'LearnerExport' })

const presentCard = (state: SkillState): z.infer<typeof ReviewCardSchema> => ({
  stability: state.stability,
  difficulty: state.difficulty,
  state: state.cardState,
  scheduledDays: state.scheduledDays,
  reps: state.reps,
  lapses: state.lapses,
  lastReview: state.lastReview?.toISOString() ?? null,
})

export const meExport = createRouter().openapi(
  learnerRoute({
    method: 'get',
    path: '/v1/me/export',
    tags: ['Learner'],
    summary: 'Download everything stored about this learner',
    description:
      'One JSON document, sent as an attachment (`Content-Disposition`): the profile, devices, passkeys (never ' +
      'their keys), every attempt with its answers and feedback, every skill state. One round trip.',
    responses: { 200: jsonResponse(ExportSchema, 'The learner’s data', ['Content-Disposition']) },
  }),
  async function exportLearner(c) {
    const { hash } = learnerScope(c).session
    const { learner, ...rows } = await readLearner(learnerScope(c), (db, learnerId) => ({
      devices: db
        .select({ ...getTableColumns(sessions), current: sql<boolean>`${sessions.tokenHash} = ${hash}` })
        .from(sessions)
        .where(eq(sessions.learnerId, learnerId))
        .orderBy(asc(sessions.createdAt), asc(sessions.id)),
      passkeys: db
        .select()
        .from(passkeys)
        .where(eq(passkeys.learnerId, learnerId))
        .orderBy(asc(passkeys.createdAt), asc(passkeys.id)),
      attempts: db
        .select()
        .from(attempts)
        .where(eq(attempts.learnerId, learnerId))
        .orderBy(asc(attempts.startedAt), asc(attempts.id)),
      skillStates: db
        .select({ state: skillStates, metadata: skills.metadata, unitIds: skillUnitIds(skills.id) })
        .from(skillStates)
        .innerJoin(skills, eq(skills.id, skillStates.skillId))
        .where(eq(skillStates.learnerId, learnerId))
        .orderBy(asc(skillStates.createdAt), asc(skillStates.id)),
      classes: db
        .select({ id: classes.id, name: classes.name, joinedAt: classMembers.joinedAt })
        .from(classMembers)
        .innerJoin(classes, eq(classes.id, classMembers.classId))
        .where(eq(classMembers.learnerId, learnerId))
        .orderBy(asc(classMembers.joinedAt), asc(classes.id)),
    }))
    const now = new Date()
    const body = {
      exportedAt: now.toISOString(),
      learner: presentLearner(learner),
      devices: rows.devices.map((row) => presentDevice(row, row.current)),
      passkeys: rows.passkeys.map(presentPasskey),
      attempts: rows.attempts.map((attempt) => presentAttempt(attempt)),
      skillStates: rows.skillStates.map(({ state, metadata, unitIds }) => ({
        ...presentSkillState(state.skillId, state, { unitIds, pInit: bktParameters(metadata).pInit }, now),
        unitKnowledge: state.unitKnowledge,
        createdAt: state.createdAt.toISOString(),
        reviewCard: presentCard(state),
      })),
      classes: rows.classes.map((row) => ({ ...row, joinedAt: row.joinedAt.toISOString() })),
    }
    const filename = `learning-progress-${now.toISOString().slice(0, 10)}.json`
    return c.json(body, 200, { ...PRIVATE, 'Content-Disposition': `attachment; filename="${filename}"` })
  },
)
