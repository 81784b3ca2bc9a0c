/**
 * The sample catalogue: 3 skills (Multiplication recommended after Basic Mathematics), 4 units, 6
 * activities with gradable questions, one of them drawing from a pool.
 * Fixed ids and ON CONFLICT DO NOTHING make it idempotent: a second run changes nothing, and
 * edits made through the API since are kept. One batch: one round trip, all or nothing.
 * No Node imports, so tests can run it inside workerd too.
 */
import { sql } from 'drizzle-orm'
import { type ActivityContentInput, activityContent } from '../src/content/schema.ts'
import type { Db } from '../src/db/client.ts'
import {
  activities,
  type NewActivity,
  type NewSkill,
  type NewUnit,
  skillPrerequisites,
  skills,
  units,
} from '../src/db/schema.ts'

/** The sample catalogue's fixed ids, for tests, scripts and examples that use it. */
export const SEED_IDS = {
  skills: {
    math: '00000000-0000-4000-8000-000000000001',
    science: '00000000-0000-4000-8000-000000000002',
    multiplication: '00000000-0000-4000-8000-000000000003',
  },
  units: {
    addition: '00000000-0000-4000-8000-000000000101',
    subtraction: '00000000-0000-4000-8000-000000000102',
    scientificMethod: '00000000-0000-4000-8000-000000000103',
    timesTables: '00000000-0000-4000-8000-000000000104',
  },
  activities: {
    addition: '00000000-0000-4000-8000-000000001001',
    additionQuiz: '00000000-0000-4000-8000-000000001002',
    takeAway: '00000000-0000-4000-8000-000000001003',
    challenge: '00000000-0000-4000-8000-000000001004',
    scientificMethod: '00000000-0000-4000-8000-000000001005',
    timesTables: '00000000-0000-4000-8000-000000001006',
  },
} as const

const { skills: skillIds, units: unitIds, activities: activityIds } = SEED_IDS

export const seedSkills: NewSkill[] = [
  {
    id: skillIds.math,
    name: 'Basic Mathematics',
    description: 'Adding and subtracting whole numbers.',
    level: 1,
  },
  {
    id: skillIds.science,
    name: 'Science',
    description: 'How scientists ask questions and test ideas.',
    level: 1,
  },
  {
    id: skillIds.multiplication,
    name: 'Multiplication',
    description: 'Times tables and repeated addition.',
    level: 2,
  },
]

/** Multiplication builds on Basic Mathematics: it is recommended after it. */
export const seedPrerequisites = [{ skillId: skillIds.multiplication, requiredSkillId: skillIds.math }]

export const seedUnits: NewUnit[] = [
  { id: unitIds.addition, skillId: skillIds.math, name: 'Addition', order: 1 },
  { id: unitIds.subtraction, skillId: skillIds.math, name: 'Subtraction', order: 2 },
  { id: unitIds.scientificMethod, skillId: skillIds.science, name: 'Scientific Method', order: 1 },
  { id: unitIds.timesTables, skillId: skillIds.multiplication, name: 'Times tables', order: 1 },
]

/** A parameterised sum or difference of two ranges: each attempt answers values of its own. */
const arithmetic = (
  id: string,
  op: '+' | '−',
  a: [number, number],
  b: [number, number],
  extra: { constraints?: string[]; explanation?: string } = {},
) => ({
  id,
  kind: 'numeric' as const,
  prompt: `What is {a} ${op} {b}?`,
  variables: { a: { min: a[0], max: a[1], step: 1 }, b: { min: b[0], max: b[1], step: 1 } },
  answer: op === '+' ? 'a + b' : 'a - b',
  ...extra,
})

/** One times table: `table` × 2 to 10, a new factor each attempt. */
const product = (id: string, table: number) => ({
  id,
  kind: 'numeric' as const,
  prompt: 'What is {a} × {b}?',
  variables: { a: { choices: [table] }, b: { min: 2, max: 10, step: 1 } },
  answer: 'a * b',
})

const content = (input: ActivityContentInput) => activityContent.parse(input)

export const seedActivities: NewActivity[] = [
  {
    id: activityIds.addition,
    unitId: unitIds.addition,
    name: 'Single-digit addition',
    type: 'practice',
    order: 1,
    content: content({
      instructions: 'Add the numbers. Each attempt brings new ones.',
      questions: [
        arithmetic('q1', '+', [1, 5], [1, 4]),
        arithmetic('q2', '+', [2, 9], [2, 9], { constraints: ['a + b <= 10', 'a != b'] }),
        arithmetic('q3', '+', [3, 9], [2, 9], {
          constraints: ['a + b > 10'],
          explanation: '{a} and {b} more is {= a + b}: ten, and {= a + b - 10} more.',
        }),
      ],
    }),
  },
  {
    id: activityIds.additionQuiz,
    unitId: unitIds.addition,
    name: 'Addition quiz',
    type: 'quiz',
    order: 2,
    content: content({
      passingScore: 0.75,
      questions: [
        {
          id: 'q1',
          kind: 'single_choice',
          prompt: 'What is 12 + 9?',
          choices: [
            { id: 'a', text: '19' },
            { id: 'b', text: '21' },
            { id: 'c', text: '22' },
          ],
          answer: 'b',
          explanation: '12 + 8 = 20, and one more is 21.',
        },
        {
          id: 'q2',
          kind: 'multiple_choice',
          prompt: 'Which sums equal 10?',
          choices: [
            { id: 'a', text: '6 + 4' },
            { id: 'b', text: '5 + 4' },
            { id: 'c', text: '7 + 3' },
          ],
          answers: ['a', 'c'],
        },
        { id: 'q3', kind: 'numeric', prompt: 'What is 25 + 17?', answer: 42, points: 2 },
      ],
    }),
  },
  {
    id: activityIds.takeAway,
    unitId: unitIds.subtraction,
    name: 'Take away',
    type: 'practice',
    order: 1,
    content: content({
      questions: [
        arithmetic('q1', '−', [5, 9], [1, 4]),
        arithmetic('q2', '−', [11, 18], [3, 9], {
          constraints: ['a - b < 10'],
          explanation: '{a} − {b} = {= a - b}: take {= a - 10} to reach ten, then {= b - (a - 10)} more.',
        }),
        {
          id: 'q3',
          kind: 'short_text',
          prompt: 'What is 10 − 10, in words?',
          acceptedAnswers: ['zero', 'nought'],
        },
      ],
    }),
  },
  {
    id: activityIds.challenge,
    unitId: unitIds.subtraction,
    name: 'Subtraction challenge',
    type: 'challenge',
    order: 2,
    content: content({
      passingScore: 0.8,
      questions: [
        { id: 'q1', kind: 'numeric', prompt: 'What is 100 − 37?', answer: 63, points: 2 },
        {
          id: 'q2',
          kind: 'numeric',
          prompt: 'Half of 9, to one decimal place?',
          answer: 4.5,
          tolerance: 0.05,
        },
        {
          id: 'q3',
          kind: 'single_choice',
          prompt: 'Which is larger: 50 − 18 or 40 − 5?',
          choices: [
            { id: 'a', text: '50 − 18' },
            { id: 'b', text: '40 − 5' },
          ],
          answer: 'b',
          explanation: '50 − 18 = 32 and 40 − 5 = 35.',
        },
      ],
    }),
  },
  {
    id: activityIds.scientificMethod,
    unitId: unitIds.scientificMethod,
    name: 'Steps of the scientific method',
    type: 'quiz',
    order: 1,
    content: content({
      questions: [
        {
          id: 'q1',
          kind: 'single_choice',
          prompt: 'What comes right after asking a question?',
          choices: [
            { id: 'a', text: 'Form a hypothesis' },
            { id: 'b', text: 'Publish the results' },
            { id: 'c', text: 'Draw a conclusion' },
          ],
          answer: 'a',
        },
        {
          id: 'q2',
          kind: 'multiple_choice',
          prompt: 'Which make an experiment a fair test?',
          choices: [
            { id: 'a', text: 'Change one variable at a time' },
            { id: 'b', text: 'Repeat the measurements' },
            { id: 'c', text: 'Pick the result you expected' },
          ],
          answers: ['a', 'b'],
          explanation: 'Controlling variables and repeating make results trustworthy.',
        },
        {
          id: 'q3',
          kind: 'short_text',
          prompt: 'A testable prediction is called a …?',
          acceptedAnswers: ['hypothesis'],
        },
      ],
    }),
  },
  {
    id: activityIds.timesTables,
    unitId: unitIds.timesTables,
    name: 'Times tables quiz',
    description:
      'Four questions drawn from a pool of eight, with new factors and in an order of their own each time.',
    type: 'quiz',
    order: 1,
    content: content({
      instructions: 'Multiply the numbers.',
      // A pool: each attempt draws 4 of the 8, shuffled; correctness is shown, the answers never are,
      // so a retake is new evidence rather than a memorised key.
      draw: 4,
      shuffle: true,
      review: { correctness: true, answers: 'never' },
      questions: [
        product('q1', 2),
        product('q2', 3),
        product('q3', 4),
        product('q4', 5),
        product('q5', 6),
        product('q6', 7),
        product('q7', 8),
        {
          id: 'q8',
          kind: 'single_choice',
          prompt: 'Which equals 3 × 4?',
          choices: [
            { id: 'a', text: '4 + 4 + 4' },
            { id: 'b', text: '3 + 4' },
            { id: 'c', text: '3 + 3 + 3' },
          ],
          answer: 'a',
        },
      ],
    }),
  },
]

/** The seed is what learners see: published, not drafts. */
const published = <T extends object>(row: T) => ({ ...row, publishedAt: sql`now()` })

export async function seed(db: Db) {
  await db.batch([
    db.insert(skills).values(seedSkills.map(published)).onConflictDoNothing(),
    db.insert(units).values(seedUnits).onConflictDoNothing(),
    db.insert(activities).values(seedActivities.map(published)).onConflictDoNothing(),
    db.insert(skillPrerequisites).values(seedPrerequisites).onConflictDoNothing(),
  ])
}
