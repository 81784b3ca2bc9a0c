/**
 * A question's variables and constraints, as an author writes them: one per line, in words rather
 * than JSON —
 *
 *   a = 1 to 9            a range, step 1
 *   x = 0.5 to 5 step 0.5 a range with a step (and `decimals 1` to show one decimal)
 *   colour = red | blue   choices
 *
 * and the same checks the API runs when the activity is saved (src/content/parameterised.ts,
 * src/content/authoring-check.ts), run here as the author types, each message next to its field.
 */
import { instanceProblems, type Sample, sampleInstances } from '../../../../src/content/authoring-check.ts'
import { templateProblems } from '../../../../src/content/parameterised.ts'
import { h } from '../../../dom.ts'
import { nextFieldId, type Question } from './fields.ts'

type Variables = NonNullable<Question['variables']>
type Set = <K extends keyof Question>(key: K, value: Question[K]) => void

const RANGE = /^(-?[\d.]+)\s+to\s+(-?[\d.]+)(?:\s+step\s+([\d.]+))?(?:\s+decimals\s+(\d+))?$/

/** The variables a text declares, and what in it could not be read. */
function parseVariables(text: string): { variables: Variables; problems: string[] } {
  const variables: Variables = {}
  const problems: string[] = []
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    const [name = '', definition = ''] = line.split('=').map((part) => part.trim())
    const range = RANGE.exec(definition)
    if (range) {
      const [, min, max, step, decimals] = range
      variables[name] = {
        min: Number(min),
        max: Number(max),
        step: Number(step ?? 1),
        ...(decimals !== undefined && { decimals: Number(decimals) }),
      }
    } else if (definition.includes('|') || (definition !== '' && line.includes('='))) {
      variables[name] = {
        choices: definition.split('|').map((choice) => {
          const value = choice.trim()
          return value !== '' && Number.isFinite(Number(value)) ? Number(value) : value
        }),
      }
    } else
      problems.push(`Line ${i + 1}: write “name = 1 to 9”, “name = 1 to 9 step 2” or “name = red | blue”.`)
  })
  return { variables, problems }
}

function variablesText(variables: Variables | undefined): string {
  return Object.entries(variables ?? {})
    .map(([name, spec]) =>
      'choices' in spec
        ? `${name} = ${spec.choices.join(' | ')}`
        : `${name} = ${spec.min} to ${spec.max}${spec.step === 1 ? '' : ` step ${spec.step}`}${
            spec.decimals === undefined ? '' : ` decimals ${spec.decimals}`
          }`,
    )
    .join('\n')
}

function textarea(
  label: string,
  pointer: string,
  value: string,
  write: (value: string) => void,
  hint: string,
) {
  const id = nextFieldId()
  const control = h(
    'textarea',
    { id, rows: 3, spellcheck: false, 'data-pointer': pointer, 'aria-describedby': `${id}-hint` },
    value,
  )
  control.addEventListener('input', () => write(control.value))
  return h(
    'p',
    { class: 'field' },
    h('label', { for: id }, label),
    control,
    h('span', { class: 'hint', id: `${id}-hint` }, hint),
  )
}

/** The variables and constraints fields of a question. */
export function parameterFields(question: Question, at: string, set: Set) {
  return [
    textarea(
      'Variables (one per line; leave empty for a fixed question)',
      `${at}/variables`,
      variablesText(question.variables),
      (text) => {
        const { variables } = parseVariables(text)
        set('variables', Object.keys(variables).length > 0 ? variables : undefined)
      },
      'a = 1 to 9 · x = 0.5 to 5 step 0.5 · colour = red | blue. Use {a} or {= a * b} in the texts.',
    ),
    textarea(
      'Constraints (one per line)',
      `${at}/constraints`,
      (question.constraints ?? []).join('\n'),
      (text) => {
        const lines = text
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean)
        set('constraints', lines.length > 0 ? lines : undefined)
      },
      'Every instance satisfies them: a > b, a + b <= 10, a != b.',
    ),
  ]
}

/**
 * The question as the checks take it: a copy, because they keep what they parsed per question object
 * (stored content never changes) and the form edits its object in place.
 */
const parsedCopy = (question: Question) => structuredClone(question) as Parameters<typeof templateProblems>[0]

/** What the save would refuse of a question, as (pointer, message), computed as the author types. */
export function questionProblems(question: Question, at: string): { pointer: string; message: string }[] {
  const asParsed = parsedCopy(question)
  const problems = templateProblems(asParsed)
  const found =
    problems.length > 0
      ? problems
      : instanceProblems({ questions: [asParsed] } as never).map(({ path, message }) => ({
          path: path.slice(2),
          message,
        }))
  return found.map(({ path, message }) => ({ pointer: [at, ...path].join('/'), message }))
}

const expected = (sample: Extract<Sample, { question: unknown }>['question']) => {
  switch (sample.kind) {
    case 'numeric':
      return String(sample.answer)
    case 'short_text':
      return sample.acceptedAnswers.join(' or ')
    case 'single_choice':
      return sample.choices.find((c) => c.id === sample.answer)?.text ?? ''
    case 'multiple_choice':
      return sample.choices
        .filter((c) => sample.answers.includes(c.id))
        .map((c) => c.text)
        .join(', ')
  }
}

/** A parameterised question's first sample instance (the question itself while it has none). */
export function firstInstance(question: Question): Question {
  if (!question.variables) return question
  try {
    const [first] = sampleInstances(parsedCopy(question), 1)
    return first && 'question' in first ? (first.question as Question) : question
  } catch {
    return question
  }
}

/** Three sample instances of a parameterised question, with their answers: for the author only. */
export function samplePreview(question: Question) {
  let samples: Sample[] = []
  try {
    samples = sampleInstances(parsedCopy(question), 3)
  } catch {
    // Its variables do not parse yet: the field says why.
  }
  const works = samples.flatMap((s) => ('question' in s ? [s.question] : []))
  return h(
    'div',
    { class: 'samples' },
    h(
      'p',
      { class: 'meta' },
      `Question ${question.id}: sample instances (learners never see the answers here)`,
    ),
    works.length === 0
      ? h('p', { class: 'meta' }, 'No instance yet: see the messages beside the fields.')
      : h(
          'ol',
          {},
          works.map((sample) => h('li', {}, `${sample.prompt} → `, h('strong', {}, expected(sample)))),
        ),
  )
}
