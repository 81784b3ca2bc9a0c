/**
 * The catalogue the workers tests practise on, declared here and built by them: not the demo seed
 * (scripts/seed.ts), which `npm run dev` and the browser tests show and which is free to change. Every
 * count a test asserts follows from what is declared below (`PRACTICE_SHAPE` names the usual ones),
 * so a change to the demo seed never moves a test.
 */
import { type ActivityContentInput, activityContent } from '../src/content/schema.ts'
import type { Db } from '../src/db/client.ts'
import {
  activities,
  type NewActivity,
  type NewUnit,
  skillPrerequisites,
  skills,
  units,
} from '../src/db/schema.ts'

const id = (n: number) => `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`

/** Fixed ids, so that tests can name what they practise on before it is built. */
export const PRACTICE = {
  skills: { math: id(1), science: id(2), multiplication: id(3) },
  units: { addition: id(101), subtraction: id(102), scientificMethod: id(103), timesTables: id(104) },
  activities: {
    addition: id(1001),
    additionQuiz: id(1002),
    takeAway: id(1003),
    challenge: id(1004),
    scientificMethod: id(1005),
    timesTables: id(1006),
  },
} as const

const { skills: S, units: U, activities: A } = PRACTICE

/** What the catalogue is made of, for the tests that count: each skill's units and published activities. */
export const PRACTICE_SHAPE = {
  math: { units: 2, activities: 4 },
  science: { units: 1, activities: 1 },
  multiplication: { units: 1, activities: 1 },
} as const

const numeric = (n: number, prompt: string, answer: number, extra: object = {}) => ({
  id: `q${n}`,
  kind: 'numeric' as const,
  prompt,
  answer,
  ...extra,
})
const choices = (...texts: string[]) => texts.map((text, i) => ({ id: String.fromCharCode(97 + i), text }))

const contents: Record<keyof typeof A, ActivityContentInput> = {
  addition: {
    instructions: 'Add the numbers.',
    questions: [
      numeric(1, 'What is 2 + 3?', 5),
      numeric(2, 'What is 4 + 4?', 8),
      numeric(3, 'What is 7 + 2?', 9, { explanation: '7 and 2 more is 9.' }),
    ],
  },
  additionQuiz: {
    passingScore: 0.75,
    questions: [
      {
        id: 'q1',
        kind: 'single_choice',
        prompt: 'What is 12 + 9?',
        choices: choices('19', '21', '22'),
        answer: 'b',
        explanation: '12 + 8 = 20, and one more is 21.',
      },
      {
        id: 'q2',
        kind: 'multiple_choice',
        prompt: 'Which sums equal 10?',
        choices: choices('6 + 4', '5 + 4', '7 + 3'),
        answers: ['a', 'c'],
      },
      numeric(3, 'What is 25 + 17?', 42, { points: 2 }),
    ],
  },
  takeAway: {
    questions: [
      numeric(1, 'What is 9 − 4?', 5),
      numeric(2, 'What is 15 − 8?', 7),
      { id: 'q3', kind: 'short_text', prompt: '10 − 10, in words?', acceptedAnswers: ['zero', 'nought'] },
    ],
  },
  challenge: {
    passingScore: 0.8,
    questions: [
      numeric(1, 'What is 100 − 37?', 63, { points: 2 }),
      numeric(2, 'Half of 9, to one decimal place?', 4.5, { tolerance: 0.05 }),
      {
        id: 'q3',
        kind: 'single_choice',
        prompt: 'Which is larger: 50 − 18 or 40 − 5?',
        choices: choices('50 − 18', '40 − 5'),
        answer: 'b',
        explanation: '50 − 18 = 32 and 40 − 5 = 35.',
      },
    ],
  },
  scientificMethod: {
    questions: [
      {
        id: 'q1',
        kind: 'single_choice',
        prompt: 'What comes right after asking a question?',
        choices: choices('Form a hypothesis', 'Publish the results', 'Draw a conclusion'),
        answer: 'a',
      },
      {
        id: 'q2',
        kind: 'multiple_choice',
        prompt: 'Which make an experiment a fair test?',
        choices: choices('Change one variable', 'Repeat the measurements', 'Pick the expected result'),
        answers: ['a', 'b'],
      },
      {
        id: 'q3',
        kind: 'short_text',
        prompt: 'A testable prediction is a …?',
        acceptedAnswers: ['hypothesis'],
      },
    ],
  },
  timesTables: {
    draw: 4,
    shuffle: true,
    review: { correctness: true, answers: 'never' },
    questions: [
      ...[2, 3, 4, 5, 6, 7, 8].map((a, i) => numeric(i + 1, `What is ${a} × ${a + 1}?`, a * (a + 1))),
      {
        id: 'q8',
        kind: 'single_choice',
        prompt: 'Which equals 3 × 4?',
        choices: choices('4 + 4 + 4', '3 + 4', '3 + 3 + 3'),
        answer: 'a',
      },
    ],
  },
}

/** The right answers to each activity (the times tables draw theirs: see the attempt's questions). */
export const PERFECT: Record<string, Record<string, unknown>> = {
  [A.addition]: { q1: 5, q2: 8, q3: 9 },
  [A.additionQuiz]: { q1: 'b', q2: ['c', 'a'], q3: 42 },
  [A.takeAway]: { q1: 5, q2: 7, q3: ' Zero ' },
  [A.challenge]: { q1: 63, q2: 4.5, q3: 'b' },
  [A.scientificMethod]: { q1: 'a', q2: ['a', 'b'], q3: 'hypothesis' },
}

export const practiceUnits: NewUnit[] = [
  { id: U.addition, skillId: S.math, name: 'Addition', order: 1 },
  { id: U.subtraction, skillId: S.math, name: 'Subtraction', order: 2 },
  { id: U.scientificMethod, skillId: S.science, name: 'Scientific Method', order: 1 },
  { id: U.timesTables, skillId: S.multiplication, name: 'Times tables', order: 1 },
]

const activity = (
  key: keyof typeof A,
  unitId: string,
  type: NewActivity['type'],
  order: number,
  name: string,
) => ({
  id: A[key],
  unitId,
  name,
  type,
  order,
  content: activityContent.parse(contents[key]),
  publishedAt: new Date(),
})

export const practiceActivities: NewActivity[] = [
  activity('addition', U.addition, 'practice', 1, 'Single-digit addition'),
  activity('additionQuiz', U.addition, 'quiz', 2, 'Addition quiz'),
  activity('takeAway', U.subtraction, 'practice', 1, 'Take away'),
  activity('challenge', U.subtraction, 'challenge', 2, 'Subtraction challenge'),
  activity('scientificMethod', U.scientificMethod, 'quiz', 1, 'Steps of the scientific method'),
  activity('timesTables', U.timesTables, 'quiz', 1, 'Times tables quiz'),
]

/**
 * Builds the practice catalogue (published; Multiplication requires Basic Mathematics) in one round
 * trip; building it again changes nothing.
 */
export async function buildPracticeCatalogue(db: Db) {
  const publishedAt = new Date()
  await db.batch([
    db
      .insert(skills)
      .values([
        {
          id: S.math,
          name: 'Basic Mathematics',
          description: 'Adding and subtracting.',
          level: 1,
          publishedAt,
        },
        {
          id: S.science,
          name: 'Science',
          description: 'Asking questions and testing ideas.',
          level: 1,
          publishedAt,
        },
        { id: S.multiplication, name: 'Multiplication', description: 'Times tables.', level: 2, publishedAt },
      ])
      .onConflictDoNothing(),
    db.insert(units).values(practiceUnits).onConflictDoNothing(),
    db.insert(activities).values(practiceActivities).onConflictDoNothing(),
    db
      .insert(skillPrerequisites)
      .values([{ skillId: S.multiplication, requiredSkillId: S.math }])
      .onConflictDoNothing(),
  ])
}
