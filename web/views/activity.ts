/** An activity: start an attempt, answer its questions, submit, and read the per-question feedback. */
import type { InferResponseType } from 'hono/client'
import { action } from '../action.ts'
import { api, describeError, read } from '../api.ts'
import { bar, h, plural, statusBadge } from '../dom.ts'
import { announce, type View } from '../router.ts'
import { questionField } from '../widgets/question-field.ts'
import { countsAgainNote, creditSummary } from './credit-note.ts'

type Activity = InferResponseType<(typeof api.v1.activities)[':activityId']['$get'], 200>
type Question = Activity['content']['questions'][number]
type SubmitResult = InferResponseType<(typeof api.v1.attempts)[':attemptId']['submit']['$post'], 200>
type Feedback = NonNullable<SubmitResult['attempt']['feedback']>[number]
type Answer = string | number | string[]

export const activityView: View = async ([activityId = '']) => {
  // One request: the activity names its unit and skill; what counts for this learner, beside it.
  const credit = read(api.v1.me.activities[':activityId'].credit.$get({ param: { activityId } })).catch(
    () => null,
  )
  const activity = await read(api.v1.activities[':activityId'].$get({ param: { activityId } }))
  const { unit, skill } = activity
  // The names of the skill's other units, for the knowledge a submit reports: asked for meanwhile.
  const unitNames = read(api.v1.skills[':skillId'].$get({ param: { skillId: skill.id } })).then(
    (tree) => new Map(tree.units.map((u) => [u.id, u.name])),
    () => new Map([[unit.id, unit.name]]),
  )
  const stage = h('div', { class: 'stage' })
  const start = async () => {
    const attempt = await read(
      api.v1.activities[':activityId'].attempts.$post({ param: { activityId }, header: {} }),
    )
    // The attempt's own questions: drawn from the pool and ordered for it at its start.
    const questions = attempt.questions ?? activity.content.questions
    stage.replaceChildren(answerForm(questions, attempt.id, stage, start, unitNames))
    stage.querySelector<HTMLElement>('input')?.focus()
  }
  const { draw, questions, passingScore, review } = activity.content
  stage.append(
    h(
      'p',
      {},
      draw === null
        ? plural(questions.length, 'question')
        : `${plural(draw, 'question')} drawn from ${questions.length}, new ones each attempt`,
      `; ${Math.round(passingScore * 100)}% of the points to pass.`,
    ),
    h('p', { class: 'meta' }, reviewNote(review)),
    creditNote(await credit),
    action('Start activity', start),
  )
  return {
    title: activity.name,
    content: [
      h(
        'p',
        { class: 'crumbs' },
        h('a', { href: '#/' }, 'Skills'),
        ' / ',
        h('a', { href: `#/skills/${skill.id}` }, skill.name),
        ` / ${unit.name}`,
      ),
      h('h1', {}, activity.name),
      activity.description && h('p', { class: 'lead' }, activity.description),
      activity.content.instructions && h('p', { class: 'instructions' }, activity.content.instructions),
      stage,
    ],
  }
}

/** What the next attempt counts toward mastery, when not all of it does (or all of it always will). */
function creditNote(credit: Parameters<typeof creditSummary>[0] | null) {
  const summary = credit && creditSummary(credit)
  return summary ? h('p', { class: 'meta credit' }, summary) : ''
}

/** What a submit will show, in words, so nobody is surprised by feedback without answers. */
function reviewNote(review: Activity['content']['review']) {
  if (!review.correctness)
    return 'After you submit you see your score; which answers were right stays private.'
  return {
    always: 'After you submit you see which answers were right, with the expected answers.',
    after_pass: 'After you submit you see which answers were right; the expected answers once you pass.',
    never: 'After you submit you see which answers were right; the expected answers are never shown.',
  }[review.answers]
}

function answerForm(
  questions: Question[],
  attemptId: string,
  stage: HTMLElement,
  again: () => Promise<void>,
  unitNames: Promise<Map<string, string>>,
) {
  const error = h('p', { class: 'error', role: 'alert' })
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Submit answers')
  // One key per attempt: a retried or double-clicked submit is answered once (Idempotency-Key).
  const idempotencyKey = crypto.randomUUID()
  const form = h(
    'form',
    { class: 'questions' },
    questions.map((question, index) => questionField(question, index)),
    h('div', { class: 'actions' }, submit, error),
  )
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    submit.disabled = true
    submit.textContent = 'Submitting…'
    error.textContent = ''
    try {
      const result = await read(
        api.v1.attempts[':attemptId'].submit.$post({
          param: { attemptId },
          header: { 'Idempotency-Key': idempotencyKey },
          json: { response: { answers: answersOf(form, questions) } },
        }),
      )
      stage.replaceChildren(resultPanel(questions, result, again, await unitNames))
      stage.querySelector<HTMLElement>('h2')?.focus()
      announce(
        `Scored ${result.attempt.score} of ${result.attempt.maxScore}. ${result.passed ? 'Passed.' : 'Not passed yet.'}`,
      )
    } catch (failure) {
      error.textContent = describeError(failure)
      submit.disabled = false
      submit.textContent = 'Submit answers'
    }
  })
  return form
}

/** Only what was answered: an unanswered question is graded as such, not as a wrong empty answer. */
function answersOf(form: HTMLFormElement, questions: Question[]) {
  const data = new FormData(form)
  const answers: Record<string, Answer> = {}
  for (const question of questions) {
    if (question.kind === 'multiple_choice') {
      const chosen = data.getAll(question.id).map(String)
      if (chosen.length > 0) answers[question.id] = chosen
      continue
    }
    const value = String(data.get(question.id) ?? '').trim()
    if (value === '') continue
    answers[question.id] = question.kind === 'numeric' ? Number(value) : value
  }
  return answers
}

function verdict(item: Feedback) {
  if (item.correct === null) return item.answered ? 'Answer recorded' : 'Not answered'
  return item.correct ? '✓ Correct' : item.answered ? '✗ Incorrect' : '✗ Not answered'
}

function resultPanel(
  questions: Question[],
  result: SubmitResult,
  again: () => Promise<void>,
  unitNames: Map<string, string>,
) {
  const { attempt, skillState, knowledge } = result
  const byId = new Map(questions.map((question) => [question.id, question]))
  const shown = (question: Question | undefined, answer: unknown) => {
    const choiceText = (id: unknown) =>
      question && 'choices' in question
        ? (question.choices.find((c) => c.id === id)?.text ?? String(id))
        : String(id)
    return Array.isArray(answer) ? answer.map(choiceText).join(', ') : choiceText(answer)
  }
  const percent = (value: number) => `${Math.round(value * 100)}%`
  return h(
    'section',
    { class: `result ${result.passed ? 'passed' : 'failed'}`, 'aria-labelledby': 'result-heading' },
    h('h2', { id: 'result-heading', tabindex: -1 }, result.passed ? 'Passed' : 'Not passed yet'),
    h('p', { class: 'score' }, `Score: ${attempt.score} / ${attempt.maxScore}`),
    h(
      'ol',
      { class: 'feedback' },
      (attempt.feedback ?? []).map((item) => {
        const question = byId.get(item.questionId)
        const given = attempt.response?.answers[item.questionId]
        const state = item.correct === null ? 'recorded' : item.correct ? 'correct' : 'incorrect'
        return h(
          'li',
          { class: state, 'data-question': item.questionId },
          h('p', { class: 'prompt' }, question?.prompt ?? item.questionId),
          h('p', { class: 'verdict' }, verdict(item)),
          item.answered && h('p', {}, `Your answer: ${shown(question, given)}`),
          (item.choiceFeedback ?? []).map((said) =>
            h('p', { class: 'choice-feedback' }, `${shown(question, said.choiceId)}: ${said.text}`),
          ),
          // Only what this attempt revealed (decided when it was submitted).
          item.expected !== undefined &&
            item.correct !== true &&
            h('p', { class: 'expected' }, `Expected: ${shown(question, item.expected)}`),
          item.explanation && h('p', { class: 'explanation' }, item.explanation),
          !item.credited && h('p', { class: 'meta credit' }, countsAgainNote(item)),
        )
      }),
    ),
    h(
      'div',
      { class: 'summary' },
      h('h3', {}, 'This skill now ', statusBadge(skillState.status)),
      bar('Mastery', skillState.masteryScore, 'mastery'),
      bar('Activities passed', skillState.progress),
      knowledge.length > 0 &&
        h(
          'ul',
          { class: 'knowledge-changes', 'aria-label': 'Knowledge per unit' },
          knowledge.map((unit) =>
            h(
              'li',
              { 'data-unit': unit.unitId },
              `${unitNames.get(unit.unitId) ?? 'Unit'}: ${percent(unit.before)} → ${percent(unit.after)}`,
            ),
          ),
        ),
    ),
    action('Try again', again, 'secondary'),
    h(
      'p',
      { class: 'actions' },
      h('a', { href: `#/skills/${skillState.skillId}` }, 'Back to the skill'),
      h('a', { href: '#/progress' }, 'See my progress'),
    ),
  )
}
