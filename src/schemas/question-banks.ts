import * as z from 'zod'
import { FORMATS } from '../interop/formats.ts'

export const BankFormat = z.enum(FORMATS).meta({
  description: '`gift` (Moodle’s GIFT text), `moodle-xml` (Moodle XML), or `qti` (1EdTech QTI 3.0).',
})

const Skipped = z.object({
  where: z.string().meta({ description: 'Its place: the line, or the element path.', example: 'line 14' }),
  reason: z.string().meta({ example: 'an essay question (no answers to grade)' }),
})

export const QuestionImportReportSchema = z
  .object({
    activities: z.array(
      z.object({
        id: z.guid().optional().meta({ description: 'The draft activity’s id (a dry run creates none).' }),
        name: z.string(),
        questionCount: z.int(),
      }),
    ),
    imported: z.int().meta({ description: 'Questions imported (or, in a dry run, that would be).' }),
    skipped: z.array(Skipped).meta({ description: 'Questions we cannot hold, each with its place and why.' }),
    warnings: z
      .array(z.string())
      .meta({ description: 'What changed on the way in, with its place: partial credit, units, images…' }),
  })
  .meta({ id: 'QuestionImportReport' })
