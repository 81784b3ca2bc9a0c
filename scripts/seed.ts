/**
 * The sample catalogue: 2 skills, 3 units, 5 activities with gradable questions.
 * Fixed ids and ON CONFLICT DO NOTHING make it idempotent: a second run changes nothing, and
 * edits made through the API since are kept. One batch: one round trip, all or nothing.
 * No Node imports, so tests can run it inside workerd too.
 */
import { type ActivityContentInput, activityContent } from '../src/content/schema.ts'
import type { Db } from '../src/db/client.ts'
import { activities, type NewActivity, type NewSkill, type NewUnit, skills, units } from '../src/db/schema.ts'

/** The sample catalogue's fixed ids, for tests, scripts and examples that use it. */
export const SEED_IDS = {
  skills: {
    math: '00000000-0000-4000-8000-000000000001',
    science: '00000000-0000-4000-8000-000000000002',
  },
  units: {
    addition: '00000000-0000-4000-8000-000000000101',
    subtraction: '00000000-0000-4000-8000-000000000102',
    scientificMethod: '00000000-0000-4000-8000-000000000103',
  },
  activities: {
    addition: '00000000-0000-4000-8000-000000001001',
    additionQuiz: '00000000-0000-4000-8000-000000001002',
    takeAway: '00000000-0000-4000-8000-000000001003',
    challenge: '00000000-0000-4000-8000-000000001004',
    scientificMethod: '00000000-0000-4000-8000-000000001005',
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
]

export const seedUnits: NewUnit[] = [
  { id: unitIds.addition, skillId: skillIds.math, name: 'Addition', order: 1 },
  { id: unitIds.subtraction, skillId: skillIds.math, name: 'Subtraction', order: 2 },
  { id: unitIds.scientificMethod, skillId: skillIds.science, name: 'Scientific Method', order: 1 },
]

const content = (input: ActivityContentInput) => activityContent.parse(input)

export const seedActivities: NewActivity[] = [
  {
    id: activityIds.addition,
    unitId: unitIds.addition,
    name: 'Single-digit addition',
    type: 'practice',
    order: 1,
    content: content({
      instructions: 'Add the numbers.',
      questions: [
        { id: 'q1', kind: 'numeric', prompt: 'What is 2 + 3?', answer: 5 },
        { id: 'q2', kind: 'numeric', prompt: 'What is 4 + 4?', answer: 8 },
        { id: 'q3', kind: 'numeric', prompt: 'What is 7 + 2?', answer: 9, explanation: '7 and 2 more is 9.' },
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
        { id: 'q1', kind: 'numeric', prompt: 'What is 9 − 4?', answer: 5 },
        { id: 'q2', kind: 'numeric', prompt: 'What is 15 − 8?', answer: 7 },
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
]

export async function seed(db: Db) {
  await db.batch([
    db.insert(skills).values(seedSkills).onConflictDoNothing(),
    db.insert(units).values(seedUnits).onConflictDoNothing(),
    db.insert(activities).values(seedActivities).onConflictDoNothing(),
  ])
}
