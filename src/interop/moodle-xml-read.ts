/**
 * Moodle XML (docs.moodle.org/en/Moodle_XML_format) read as our questions: `multichoice` (one answer
 * or several), `truefalse`, `shortanswer`, `numerical`, and `calculated`/`calculatedsimple` as
 * parameterised questions (each private dataset a variable from its minimum to its maximum at its
 * decimals). Other types are skipped with their element, `quiz/question[n]`.
 */
import { type Bank, BankError, choicesFrom, emptyBank, idFrom, type QuestionInput } from './bank.ts'
import { FormulaError, fromMoodleFormula, mapFormulasInText } from './formula.ts'
import { htmlToText } from './html-text.ts'
import { childOf, childrenOf, moodleText, textOf, type XmlElement } from './xml.ts'

type Context = { where: string; warnings: string[]; shuffled?: boolean }
type Read = QuestionInput | string

/** A `<questiontext>`-like field as plain text, naming what its HTML held that text cannot. */
function plainText(question: XmlElement, name: string, context: Context): string | undefined {
  const raw = moodleText(question, name)
  if (raw === undefined) return undefined
  const format = childOf(question, name)?.attributes.format ?? 'html'
  if (format === 'plain_text' || format === 'markdown') return raw
  const { text, dropped } = htmlToText(raw)
  if (dropped.length > 0)
    context.warnings.push(`${context.where}: ${dropped.join(', ')} left out of its text.`)
  return text
}

type Answer = { fraction: number; text: string; feedback?: string; element: XmlElement }

function answersOf(question: XmlElement, context: Context): Answer[] {
  return childrenOf(question, 'answer').map((answer) => {
    const feedback = plainText(answer, 'feedback', context)
    const format = answer.attributes.format
    const raw = textOf(childOf(answer, 'text') ?? answer).trim()
    const text = format === 'html' ? htmlToText(raw).text : raw
    return {
      fraction: Number(answer.attributes.fraction ?? 0),
      text,
      element: answer,
      ...(feedback && { feedback }),
    }
  })
}

function multichoice(question: XmlElement, answers: Answer[], context: Context): Read {
  const choices = choicesFrom(answers)
  context.shuffled ||= ['true', '1'].includes(moodleText(question, 'shuffleanswers') ?? '')
  const single = (moodleText(question, 'single') ?? 'true') !== 'false'
  const right = choices.filter((_, i) => (answers[i] as Answer).fraction > 0).map((c) => c.id)
  if (single) {
    const full = answers.findIndex((a) => a.fraction >= 100)
    if (full < 0) return 'no choice is worth full marks'
    if (right.length > 1) context.warnings.push(`${context.where}: partial-credit choices count as wrong.`)
    return { kind: 'single_choice', choices, answer: choices[full]?.id as string } as QuestionInput
  }
  if (answers.some((a) => a.fraction > 0 && a.fraction < 100) && right.length > 0)
    context.warnings.push(
      `${context.where}: weights become all or nothing: every choice with a positive weight.`,
    )
  return { kind: 'multiple_choice', choices, answers: right } as QuestionInput
}

function truefalse(answers: Answer[]): Read {
  const said = (value: string) => answers.find((a) => a.text.toLowerCase() === value)
  const isTrue = (said('true')?.fraction ?? 0) >= 100
  const choice = (id: string, text: string, answer: Answer | undefined) => ({
    id,
    text,
    ...(answer?.feedback && { feedback: answer.feedback }),
  })
  const choices = [choice('a', 'True', said('true')), choice('b', 'False', said('false'))]
  return { kind: 'single_choice', choices, answer: isTrue ? 'a' : 'b' } as QuestionInput
}

function shortanswer(question: XmlElement, answers: Answer[], context: Context): Read {
  const accepted = answers.filter((a) => a.fraction >= 100).map((a) => a.text)
  if (accepted.length === 0) return 'no answer is worth full marks'
  if (moodleText(question, 'usecase') === '1')
    context.warnings.push(`${context.where}: answers here are compared ignoring case.`)
  if (accepted.length < answers.length)
    context.warnings.push(`${context.where}: partial-credit answers are dropped.`)
  return { kind: 'short_text', acceptedAnswers: accepted } as QuestionInput
}

function numerical(question: XmlElement, answers: Answer[], context: Context): Read {
  const full = answers.find((a) => a.fraction >= 100)
  const value = Number(full?.text)
  if (!full || full.text === '*' || !Number.isFinite(value)) return 'no numeric answer is worth full marks'
  const units = childrenOf(childOf(question, 'units') ?? question, 'unit').map((u) =>
    moodleText(u, 'unit_name'),
  )
  if (units.length > 0)
    context.warnings.push(`${context.where}: units (${units.join(', ')}) are not kept: answers are numbers.`)
  const tolerance = Math.abs(Number(moodleText(full.element, 'tolerance') ?? 0))
  return {
    kind: 'numeric',
    answer: value,
    tolerance: Number.isFinite(tolerance) ? tolerance : 0,
  } as QuestionInput
}

/** `calculated` / `calculatedsimple`: datasets as variables, the formula as the answer. */
function calculated(question: XmlElement, answers: Answer[], context: Context): Read | { variables: object } {
  const definitions = childrenOf(childOf(question, 'dataset_definitions') ?? question, 'dataset_definition')
  const variables: Record<string, object> = {}
  for (const definition of definitions) {
    const name = moodleText(definition, 'name') ?? ''
    if (moodleText(definition, 'status') === 'shared')
      return `its dataset {${name}} is shared with other questions`
    if ((moodleText(definition, 'distribution') ?? 'uniform') !== 'uniform')
      return `its dataset {${name}} is not uniform`
    const [min, max, decimals] = ['minimum', 'maximum', 'decimals'].map((f) =>
      Number(moodleText(definition, f)),
    )
    if (![min, max, decimals].every(Number.isFinite))
      return `its dataset {${name}} has no minimum, maximum or decimals`
    const step = Number((10 ** -(decimals as number)).toFixed(decimals as number))
    variables[name] = decimals === 0 ? { min, max, step: 1 } : { min, max, step, decimals }
  }
  const full = answers.find((a) => a.fraction >= 100)
  if (!full) return 'no formula is worth full marks'
  const tolerance = Math.abs(Number(moodleText(full.element, 'tolerance') ?? 0))
  const type = moodleText(full.element, 'tolerancetype') ?? '1'
  if (tolerance !== 0 && type !== '2')
    return `its tolerance is ${type === '3' ? 'geometric' : 'relative'}; only a nominal one can be kept`
  const names = new Set(Object.keys(variables))
  try {
    const formula = fromMoodleFormula(full.text, names).trim()
    // Moodle shows, and so grades, the answer at `correctanswerlength` decimals when its format is 1.
    const decimals =
      moodleText(full.element, 'correctanswerformat') === '1'
        ? moodleText(full.element, 'correctanswerlength')
        : undefined
    const answer = decimals === undefined ? formula : `round(${formula}, ${Number(decimals)})`
    if (
      childrenOf(childOf(definitions[0] ?? question, 'dataset_items') ?? question, 'dataset_item').length > 0
    )
      context.warnings.push(
        `${context.where}: values are drawn from each dataset’s range, not from the file’s items.`,
      )
    return { kind: 'numeric', answer, tolerance, variables } as QuestionInput
  } catch (error) {
    if (error instanceof FormulaError) return error.message
    throw error
  }
}

const SKIPPED: Record<string, string> = {
  essay: 'an essay (no answers to grade)',
  matching: 'a matching question',
  randomsamatch: 'a random short-answer matching question',
  multianswer: 'an embedded-answers (cloze) question',
  ddwtos: 'a drag-and-drop question',
  ddimageortext: 'a drag-and-drop question',
  ddmarker: 'a drag-and-drop question',
  gapselect: 'a select-missing-words question',
  calculatedmulti: 'a calculated multiple-choice question',
  description: 'a description, not a question',
  random: 'a random question (it names a category, not a question)',
}

function readQuestion(question: XmlElement, type: string, context: Context): Read {
  const answers = answersOf(question, context)
  switch (type) {
    case 'multichoice':
      return multichoice(question, answers, context)
    case 'truefalse':
      return truefalse(answers)
    case 'shortanswer':
      return shortanswer(question, answers, context)
    case 'numerical':
      return numerical(question, answers, context)
    case 'calculated':
    case 'calculatedsimple':
      return calculated(question, answers, context) as Read
    default:
      return SKIPPED[type] ?? `a “${type}” question, which has no form here`
  }
}

/** One `<question>` into the bank: a category names it, a question joins it or is skipped with its reason. */
function readElement(question: XmlElement, index: number, bank: Bank, taken: Set<string>) {
  const where = `quiz/question[${index + 1}] (line ${question.line})`
  const type = question.attributes.type ?? ''
  if (type === 'category') {
    const path = (moodleText(question, 'category') ?? '').replace(
      /^\$(course|system|module)\$\/(top\/?)?/,
      '',
    )
    bank.title = path.split('/').filter(Boolean).at(-1) ?? bank.title
    if (path) bank.warnings.push(`${where}: category “${path}” — its questions go into this unit.`)
    return
  }
  const context: Context = { where, warnings: [] }
  const read = readQuestion(question, type, context)
  if (typeof read === 'string') {
    bank.skipped.push({ where, reason: read })
    return
  }
  bank.shuffled ||= context.shuffled
  const raw = plainText(question, 'questiontext', context) ?? ''
  const variables = 'variables' in read ? new Set(Object.keys(read.variables ?? {})) : undefined
  const ours = (text: string) =>
    variables ? mapFormulasInText(text, (f) => fromMoodleFormula(f, variables)) : text
  const explanation = plainText(question, 'generalfeedback', context)
  const points = Math.round(Number(moodleText(question, 'defaultgrade') ?? 1))
  try {
    bank.questions.push({
      where,
      question: {
        ...read,
        id: idFrom(moodleText(question, 'name'), taken, `q${index + 1}`),
        prompt: ours(raw),
        points: Number.isFinite(points) && points >= 1 ? Math.min(points, 100) : 1,
        ...(explanation && { explanation: ours(explanation) }),
      } as QuestionInput,
      warnings: context.warnings,
    })
  } catch (error) {
    if (!(error instanceof FormulaError)) throw error
    bank.skipped.push({ where, reason: error.message })
  }
}

export function readMoodleXml(root: XmlElement): Bank {
  if (root.name !== 'quiz')
    throw new BankError(`the root element is <${root.name}>, not <quiz>`, `line ${root.line}`)
  const bank = emptyBank()
  const taken = new Set<string>()
  for (const [index, question] of childrenOf(root, 'question').entries())
    readElement(question, index, bank, taken)
  return bank
}
