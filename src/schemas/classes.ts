/** Classes as authors and learners see them: authors get the code and a count, learners the name. */
import * as z from 'zod'
import { text } from '../content/schema.ts'
import { Timestamp } from './common.ts'

export const CreateClassSchema = z
  .strictObject({ name: text(200) })
  .meta({ id: 'CreateClass', example: { name: 'Year 4, Ms Rivera' } })

export const AdminClassSchema = z
  .object({
    id: z.guid(),
    name: z.string(),
    joinCode: z
      .string()
      .meta({ description: 'What learners type to join: eight characters, no look-alikes.' }),
    members: z.int().meta({ description: 'How many learners joined (never who).' }),
    createdBy: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'AdminClass' })

export const JoinClassSchema = z
  .strictObject({
    code: z
      .string()
      .max(32)
      .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')
      .meta({
        description: 'The class’s join code, in any case, with or without spaces and dashes.',
        example: 'K7QM-2XHP',
      }),
  })
  .meta({ id: 'JoinClass' })

export const MyClassSchema = z
  .object({ id: z.guid(), name: z.string(), joinedAt: Timestamp })
  .meta({ id: 'MyClass', description: 'A class this learner joined. The class sees counts, never who.' })
