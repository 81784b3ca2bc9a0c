/**
 * The check an author's save runs on parameterised questions, on top of the schema (which only
 * parses): instances are drawn from fixed seeds, so the same content always gets the same verdict.
 *
 * - some combination of values satisfies the constraints, and gives texts and an answer that compute;
 * - computed choice texts collide (two choices read the same) in at most MAX_COLLISION_SHARE of the
 *   sample instances — colliding instances are skipped when drawn, so a high share starves the space;
 * - a numeric answer graded exactly (tolerance 0) has no more digits than are shown (10 significant).
 *
 * `sampleInstances` is also the studio's preview: the instances it shows are these.
 */
import { ExpressionError } from './expression.ts'
import { drawInstance, type Values } from './instances.ts'
import { InvalidInstance, instanceSpec, isParameterised, render, templateProblems } from './parameterised.ts'
import type { ActivityContent, Question } from './schema.ts'
import { formatNumber } from './template.ts'

const SAMPLE_SEED = 1
const SAMPLES = 60
const MAX_COLLISION_SHARE = 0.2

type Path = (string | number)[]
export type Sample = { values: Values } & ({ question: Question } | { problem: InvalidInstance })

/** Up to `count` instances satisfying the constraints, in the draw order of SAMPLE_SEED, each rendered or refused. */
export function sampleInstances(question: Question, count = SAMPLES, seed = SAMPLE_SEED): Sample[] {
  const spec = instanceSpec(question)
  const samples: Sample[] = []
  for (let ordinal = 0; ordinal < count; ordinal++) {
    const drawn = drawInstance(spec, seed, ordinal)
    if (!drawn || drawn.cycle > 0) break
    try {
      samples.push({ values: drawn.values, question: render(question, drawn.values) })
    } catch (error) {
      if (!(error instanceof InvalidInstance)) throw error
      samples.push({ values: drawn.values, problem: error })
    }
  }
  return samples
}

const describe = (values: Values) =>
  [...values].map(([name, value]) => `${name} = ${typeof value === 'number' ? formatNumber(value) : value}`)

/** What is wrong with one parameterised question, each with its path inside the question. */
function questionProblems(question: Question): { path: Path; message: string }[] {
  let samples: Sample[]
  try {
    samples = sampleInstances(question)
  } catch (error) {
    if (error instanceof ExpressionError) return [{ path: ['variables'], message: error.message }]
    throw error
  }
  if (samples.length === 0)
    return [{ path: ['constraints'], message: 'No combination of values satisfies the constraints.' }]
  const refused = samples.flatMap((s) => ('problem' in s ? [s] : []))
  const collisions = refused.filter((s) => s.problem.path[0] === 'choices').length
  const valid = samples.flatMap((s) => ('question' in s ? [s.question] : []))
  const problems: { path: Path; message: string }[] = []
  const share = collisions / samples.length
  if (share > MAX_COLLISION_SHARE)
    problems.push({
      path: ['choices'],
      message:
        `Two choices read the same in ${Math.round(share * 100)} % of sample instances ` +
        `(at most ${MAX_COLLISION_SHARE * 100} %): make the computed texts differ.`,
    })
  const failing = refused.find((s) => s.problem.path[0] !== 'choices')
  if (valid.length === 0 && failing)
    problems.push({
      path: failing.problem.path,
      message: `No instance works: ${failing.problem.message} (for ${describe(failing.values).join(', ')}).`,
    })
  const tooPrecise = valid.find(
    (q) => q.kind === 'numeric' && q.tolerance === 0 && formatNumber(q.answer as number) !== String(q.answer),
  )
  if (tooPrecise?.kind === 'numeric')
    problems.push({
      path: ['tolerance'],
      message:
        `An answer such as ${formatNumber(tooPrecise.answer as number)}… has more digits than are shown: ` +
        'set a tolerance, or round the answer (round(x, 2)).',
    })
  return problems
}

/** The problems of every parameterised question of `content`, with paths from the content's root. */
export function instanceProblems(content: ActivityContent): { path: Path; message: string }[] {
  return content.questions.flatMap((question, i) =>
    // A question whose texts do not parse is the schema's to report (content/schema.ts).
    isParameterised(question) && templateProblems(question).length === 0
      ? questionProblems(question).map(({ path, message }) => ({ path: ['questions', i, ...path], message }))
      : [],
  )
}
