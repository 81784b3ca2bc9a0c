/**
 * Server-side grading. Pure: the content (with its answer keys, and the attempt's instances of
 * parameterised questions in place: content/bindings.ts), the attempt's own questions (drawn
 * and ordered at its start) and the learner's answers in, the score and per-question feedback out, in
 * the attempt's order. Unanswered questions score zero; answers of the wrong shape for their
 * question, or for questions the attempt does not have, are reported as invalid so the route can
 * refuse them before writing anything.
 */
import type { ActivityContent, Question } from '../content/schema.ts'

export type AnswerValue = string | number | string[]

export type GradedQuestion = {
  questionId: string
  correct: boolean
  answered: boolean
  pointsAwarded: number
  points: number
  /** The expected answer: a choice id, choice ids, a number, or the first accepted text. */
  expected: AnswerValue
  explanation?: string
  /** What the author said to those who chose each chosen choice (`choices[].feedback`), in the choices' order. */
  choiceFeedback?: { choiceId: string; text: string }[]
}

export type GradeResult = {
  score: number
  maxScore: number
  /** score / maxScore, in [0, 1]. */
  ratio: number
  passed: boolean
  feedback: GradedQuestion[]
}

/** The attempt's questions, in its order (its drawn ids that the content has). */
function questionsOf(content: ActivityContent, drawn: readonly string[]): Question[] {
  const byId = new Map(content.questions.map((q) => [q.id, q]))
  return drawn.flatMap((id) => byId.get(id) ?? [])
}

const normalise = (text: string) => text.trim().toLocaleLowerCase('en')

/** A numeric key: a number once the question is instantiated (content/bindings.ts), never an expression. */
function numericKey(question: Question & { kind: 'numeric' }): number {
  if (typeof question.answer !== 'number')
    throw new Error('grading a parameterised question not instantiated')
  return question.answer
}

/** The answer key of a question: what feedback shows as expected, and a correct answer by definition. */
export function expectedAnswer(question: Question): AnswerValue {
  switch (question.kind) {
    case 'single_choice':
      return question.answer
    case 'multiple_choice':
      return [...question.answers].sort()
    case 'numeric':
      return numericKey(question)
    case 'short_text':
      return question.acceptedAnswers[0] as string
  }
}

/** Whether `value` has the shape `question` takes; the reason when it has not. */
function shapeError(question: Question, value: AnswerValue): string | undefined {
  switch (question.kind) {
    case 'single_choice':
      return typeof value === 'string' ? undefined : 'must be one choice id (a string)'
    case 'multiple_choice':
      return Array.isArray(value) ? undefined : 'must be a list of choice ids'
    case 'numeric':
      return typeof value === 'number' ? undefined : 'must be a number'
    case 'short_text':
      return typeof value === 'string' ? undefined : 'must be a string'
  }
}

function isCorrect(question: Question, value: AnswerValue): boolean {
  switch (question.kind) {
    case 'single_choice':
      return value === question.answer
    case 'multiple_choice': {
      // All or nothing: exactly the right set, in any order, no extras (as sets: a key stored with an
      // id twice still needs every other id).
      const given = new Set(value as string[])
      const key = new Set(question.answers)
      return given.size === key.size && [...key].every((id) => given.has(id))
    }
    case 'numeric': {
      // A hair of slack so that 0.1 + 0.2 style rounding never fails an exact answer.
      const key = numericKey(question)
      return Math.abs((value as number) - key) <= question.tolerance + 1e-9 * Math.max(1, Math.abs(key))
    }
    case 'short_text':
      return question.acceptedAnswers.some((accepted) => normalise(accepted) === normalise(value as string))
  }
}

export type InvalidAnswer = { questionId: string; reason: string }

/** Answers that cannot be graded: to questions the attempt does not have, or of the wrong shape. */
export function invalidAnswers(
  content: ActivityContent,
  drawn: readonly string[],
  answers: Record<string, AnswerValue>,
): InvalidAnswer[] {
  const byId = new Map(questionsOf(content, drawn).map((q) => [q.id, q]))
  const invalid: InvalidAnswer[] = []
  for (const [questionId, value] of Object.entries(answers)) {
    const question = byId.get(questionId)
    const reason = question ? shapeError(question, value) : 'this attempt has no such question'
    if (reason) invalid.push({ questionId, reason })
  }
  return invalid
}

/** The feedback of the choices a learner chose, when their author wrote any. */
function choiceFeedbackOf(question: Question, value: AnswerValue | undefined) {
  if (!('choices' in question) || value === undefined) return {}
  const chosen = new Set(Array.isArray(value) ? value : [String(value)])
  const said = question.choices.flatMap((c) =>
    chosen.has(c.id) && c.feedback !== undefined ? [{ choiceId: c.id, text: c.feedback }] : [],
  )
  return said.length === 0 ? {} : { choiceFeedback: said }
}

export function grade(
  content: ActivityContent,
  drawn: readonly string[],
  answers: Record<string, AnswerValue>,
): GradeResult {
  const feedback = questionsOf(content, drawn).map((question): GradedQuestion => {
    const value = Object.hasOwn(answers, question.id) ? answers[question.id] : undefined
    const answered = value !== undefined
    const correct = answered && isCorrect(question, value)
    return {
      questionId: question.id,
      correct,
      answered,
      pointsAwarded: correct ? question.points : 0,
      points: question.points,
      expected: expectedAnswer(question),
      ...(question.explanation !== undefined && { explanation: question.explanation }),
      ...choiceFeedbackOf(question, value),
    }
  })
  const score = feedback.reduce((sum, f) => sum + f.pointsAwarded, 0)
  const maxScore = feedback.reduce((sum, f) => sum + f.points, 0)
  const ratio = maxScore === 0 ? 0 : score / maxScore
  return { score, maxScore, ratio, passed: ratio >= content.passingScore, feedback }
}
