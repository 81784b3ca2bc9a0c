/**
 * Everything stored about the learner, as one JSON document they can keep (data portability): the
 * profile, devices (never a session id or hash), passkeys (never a key), every attempt with its
 * answers and feedback, every skill state with its review card. One round trip.
 */

import * as z from 'zod'
import type { SkillState } from '../db/schema.ts'
import { PRIVATE } from '../http/cache-control.ts'
import { bktParameters } from '../mastery/bkt.ts'
import { jsonResponse } from '../openapi.ts'
import { learnerData } from '../progress/reads/learner-reads.ts'
import { createRouter } from '../router.ts'
import { AttemptSchema, presentAttempt } from '../schemas/attempts.ts'
import { MyClassSchema } from '../schemas/classes.ts'
import { Timestamp } from '../schemas/common.ts'
import { LearnerSchema } from '../schemas/learner.ts'
import { PasskeySchema, presentPasskey } from '../schemas/passkeys.ts'
import { presentSkillState, SkillStateSchema } from '../schemas/progress.ts'
import { DeviceSchema, presentDevice } from '../schemas/sessions.ts'
import { presentLearner } from '../session/learner.ts'
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
    const { learner, ...rows } = await learnerData(learnerScope(c))
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
