/**
 * A question bank read from a teacher's file (GIFT, Moodle XML, QTI), on its way to draft activities:
 * each question checked as the studio's save would check it, the ones we cannot hold skipped with
 * their place and reason, and the rest split into activities of at most 50 questions.
 */
import { instanceProblems } from '../content/authoring-check.ts'
import {
  type ActivityContent,
  type ActivityContentInput,
  activityContent,
  ID_PATTERN,
} from '../content/schema.ts'

export type QuestionInput = ActivityContentInput['questions'][number]
/** A question without its id and prompt: what a format reader makes of the answers. */
export type QuestionBody = QuestionInput extends infer Q
  ? Q extends unknown
    ? Omit<Q, 'id' | 'prompt'>
    : never
  : never
type Skipped = { where: string; reason: string }

/** What a format reader found: questions with their place in the file, what it skipped, what it changed. */
export type Bank = {
  title?: string
  /** Each question with its place, and what changed on its way in (reported only if it is kept). */
  questions: { where: string; question: QuestionInput; warnings?: string[] }[]
  skipped: Skipped[]
  warnings: string[]
  /** Some question asked for its choices shuffled: here that is one setting of the whole activity. */
  shuffled?: boolean
}

/** A file that cannot be read at all; `where` is its line or element. */
export class BankError extends Error {
  constructor(
    message: string,
    readonly where: string,
  ) {
    super(message)
  }
}

const MAX_QUESTIONS = 50
const MIN_CHOICES = 2
const MAX_CHOICES = 20

export const emptyBank = (): Bank => ({ questions: [], skipped: [], warnings: [] })

/**
 * An id of ours from a name in the file: kept when it fits ID_PATTERN, otherwise its letters and
 * digits joined by "-", or `fallback`; made unique among `taken` with "-2", "-3"…
 */
export function idFrom(name: string | undefined, taken: Set<string>, fallback: string): string {
  const cleaned = (name ?? '')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[-_]+|-+$/g, '')
    .slice(0, 56)
  let base = ID_PATTERN.test(name ?? '') ? (name as string) : cleaned || fallback
  if (!ID_PATTERN.test(base)) base = fallback
  let id = base
  for (let n = 2; taken.has(id); n++) id = `${base.slice(0, 56)}-${n}`
  taken.add(id)
  return id
}

/** Choice ids a, b, c… z, then c27, c28…: stable, so an export read back gives the same ids. */
const choiceIds = (count: number) =>
  Array.from({ length: count }, (_, i) => (i < 26 ? String.fromCharCode(97 + i) : `c${i + 1}`))

/** A format's answers as our choices, with those ids, and their feedback where they have one. */
export function choicesFrom(answers: { text: string; feedback?: string }[]) {
  const ids = choiceIds(answers.length)
  return answers.map((a, i) => ({
    id: ids[i] as string,
    text: a.text,
    ...(a.feedback && { feedback: a.feedback }),
  }))
}

function choiceCountProblem(question: QuestionInput): string | undefined {
  if (!('choices' in question)) return undefined
  const count = question.choices.length
  if (count >= MIN_CHOICES && count <= MAX_CHOICES) return undefined
  return `it has ${count} choice${count === 1 ? '' : 's'}; a question here has ${MIN_CHOICES} to ${MAX_CHOICES}`
}

type Question = ActivityContent['questions'][number]

/** The question as the studio would save it, or why it would refuse it, in words. */
function checked(question: QuestionInput): Question | string {
  const choices = choiceCountProblem(question)
  if (choices) return choices
  const parsed = activityContent.safeParse({ questions: [question] })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const path = issue?.path.slice(2).join('.')
    return `${path ? `${path}: ` : ''}${issue?.message ?? 'not a question we can hold'}`
  }
  const [problem] = instanceProblems(parsed.data)
  if (problem) return `${problem.path.slice(2).join('.') || 'variables'}: ${problem.message}`
  return parsed.data.questions[0] as Question
}

export type CheckedBank = { questions: Question[]; skipped: Skipped[]; warnings: string[] }

/** The bank's questions that the studio would accept; the others join the skipped with their reason. */
export function checkBank(bank: Bank): CheckedBank {
  const skipped = [...bank.skipped]
  const warnings = [...bank.warnings]
  const questions: Question[] = []
  for (const { where, question, warnings: changed = [] } of bank.questions) {
    const result = checked(question)
    if (typeof result === 'string') skipped.push({ where, reason: result })
    else {
      questions.push(result)
      warnings.push(...changed)
    }
  }
  if (bank.shuffled && questions.length > 0) {
    warnings.push(
      'the file shuffles choices: here shuffling is one setting for the whole activity, off until you turn it on.',
    )
  }
  return { questions, skipped, warnings }
}

export type PlannedActivity = { name: string; content: ActivityContentInput }

/** Activities of at most 50 questions each: “Name”, or “Name — Part 1”, “Name — Part 2”… */
export function planActivities(name: string, questions: ActivityContent['questions']): PlannedActivity[] {
  const parts = Math.ceil(questions.length / MAX_QUESTIONS)
  return Array.from({ length: parts }, (_, i) => ({
    name: parts === 1 ? name : `${name.slice(0, 180)} — Part ${i + 1}`,
    content: { questions: questions.slice(i * MAX_QUESTIONS, (i + 1) * MAX_QUESTIONS) },
  }))
}
