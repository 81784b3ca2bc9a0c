/**
 * GIFT, Moodle's text format for questions (docs.moodle.org/en/GIFT_format), read and written.
 *
 *   // a comment                       $CATEGORY: Arithmetic/Addition
 *   ::title::[html]Question text { =right #said to who chose it ~wrong ####general feedback }
 *
 * Questions are separated by blank lines. `\~ \= \# \{ \} \:` escape the special characters and `\n`
 * is a new line. Kinds: multiple choice (one `=`, or `~%weight%` for several answers), true/false,
 * short answer (only `=`), numerical (`{#2.5:0.1}`, `{#1..5}`). Essays, matching and descriptions are
 * skipped with their line; text after the braces makes a missing-word question, its blank shown as “_____”.
 */
import type { Question } from '../content/schema.ts'
import { type Bank, choicesFrom, emptyBank, idFrom, type QuestionBody, type QuestionInput } from './bank.ts'
import { htmlToText } from './html-text.ts'

type Block = { line: number; text: string }

/** The file's blocks (questions and categories), comments dropped, each with its first line. */
function blocksOf(source: string): Block[] {
  const blocks: Block[] = []
  let current: Block | undefined
  source
    .replace(/^\ufeff/, '')
    .split(/\r\n|\r|\n/)
    .forEach((raw, index) => {
      const line = raw.trimEnd()
      if (/^\s*\/\//.test(line)) return
      if (line.trim() === '') {
        current = undefined
        return
      }
      if (current) {
        current.text += `\n${line}`
        return
      }
      current = { line: index + 1, text: line }
      blocks.push(current)
    })
  return blocks
}

/** The index of the first unescaped `char` at or after `from`, or -1. */
function unescapedIndex(text: string, char: string, from = 0): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++
    else if (text[i] === char) return i
  }
  return -1
}

/** Pieces of `text` split before each unescaped character of `starts`, with the character. */
function splitBefore(text: string, starts: string): string[] {
  const pieces: string[] = []
  let from = 0
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++
    else if (starts.includes(text[i] as string) && i > from) {
      pieces.push(text.slice(from, i))
      from = i
    }
  }
  pieces.push(text.slice(from))
  return pieces.filter((p) => p.trim() !== '')
}

/** Splits at the first unescaped `char`: before, and after (undefined when absent). */
function splitAt(text: string, char: string): [string, string | undefined] {
  const at = unescapedIndex(text, char)
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)]
}

const unescapeGift = (text: string) => text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)).trim()

type Answer = { weight: number; text: string; feedback?: string }

/** `=text#feedback` or `~%50%text#feedback`. */
function answerOf(piece: string): Answer {
  const marker = piece[0]
  let rest = piece.slice(1)
  let weight = marker === '=' ? 100 : 0
  const percent = /^\s*%(-?\d+(?:\.\d+)?)%/.exec(rest)
  if (percent) {
    weight = Number(percent[1])
    rest = rest.slice(percent[0].length)
  }
  const [text, feedback] = splitAt(rest, '#')
  return { weight, text: unescapeGift(text), ...(feedback?.trim() && { feedback: unescapeGift(feedback) }) }
}

type Read = { question?: QuestionBody; skip?: string; warnings: string[] }

function trueFalse(body: string): Read | undefined {
  const match = /^(T|TRUE|F|FALSE)\s*(?:#([\s\S]*))?$/i.exec(body.trim())
  if (!match) return undefined
  const isTrue = (match[1] as string).toUpperCase().startsWith('T')
  const [wrong, right] = match[2] === undefined ? [] : splitAt(match[2], '#')
  const said = (text: string | undefined) => (text?.trim() ? { feedback: unescapeGift(text) } : {})
  const choices = [
    { id: 'a', text: 'True', ...said(isTrue ? right : wrong) },
    { id: 'b', text: 'False', ...said(isTrue ? wrong : right) },
  ]
  return { question: { kind: 'single_choice', choices, answer: isTrue ? 'a' : 'b' }, warnings: [] }
}

/** `#2.5:0.1`, `#1..5`, or `#=2.5:0 =%50%2:1`: the full-credit answer, with its tolerance. */
function numerical(body: string): Read {
  const rest = body.trim().slice(1)
  const answers = rest.trimStart().startsWith('=')
    ? splitBefore(rest, '=').map(answerOf)
    : [{ weight: 100, ...splitFeedback(rest) }]
  const full = answers.find((a) => a.weight === 100)
  if (!full) return { skip: 'a numerical question without a full-credit answer', warnings: [] }
  const range = /^(-?[\d.]+(?:e-?\d+)?)\s*\.\.\s*(-?[\d.]+(?:e-?\d+)?)$/i.exec(full.text)
  const [value, margin] = range
    ? [(Number(range[1]) + Number(range[2])) / 2, Math.abs(Number(range[2]) - Number(range[1])) / 2]
    : [Number(full.text.split(':')[0]), Number(full.text.split(':')[1] ?? 0)]
  if (!Number.isFinite(value) || !Number.isFinite(margin) || full.text === '') {
    return { skip: `“${full.text}” is not a number, a number:tolerance or a min..max range`, warnings: [] }
  }
  const partial =
    answers.length > 1 ? ['partial-credit answers are dropped: only the full-credit one is kept'] : []
  return { question: { kind: 'numeric', answer: value, tolerance: margin }, warnings: partial }
}

const splitFeedback = (text: string) => {
  const [value, feedback] = splitAt(text, '#')
  return { text: unescapeGift(value), ...(feedback?.trim() && { feedback: unescapeGift(feedback) }) }
}

function choicesOrShort(body: string): Read {
  const answers = splitBefore(body, '~=').map(answerOf)
  if (answers.some((a) => /(^|[^\\])->/.test(a.text))) return { skip: 'a matching question', warnings: [] }
  const wrongs = splitBefore(body, '~=').some((p) => p.startsWith('~'))
  if (!wrongs) {
    const accepted = answers.filter((a) => a.weight === 100).map((a) => a.text)
    const partial = accepted.length < answers.length ? ['partial-credit answers are dropped'] : []
    return { question: { kind: 'short_text', acceptedAnswers: accepted }, warnings: partial }
  }
  const choices = choicesFrom(answers)
  const correct = choices.filter((_, i) => (answers[i] as Answer).weight > 0).map((c) => c.id)
  const single = splitBefore(body, '~=').some((p) => p.startsWith('='))
  if (single) {
    const partial = answers.some((a) => a.weight > 0 && a.weight < 100)
    return {
      question: {
        kind: 'single_choice',
        choices,
        answer: choices[answers.findIndex((a) => a.weight === 100)]?.id ?? '',
      },
      warnings: partial ? ['partial-credit choices count as wrong: only the “=” choice is right'] : [],
    }
  }
  return {
    question: { kind: 'multiple_choice', choices, answers: correct },
    warnings: ['weights become all or nothing: the answer is every choice with a positive weight'],
  }
}

function readAnswers(body: string): Read {
  if (body.trim() === '') return { skip: 'an essay question (no answers to grade)', warnings: [] }
  if (body.trim().startsWith('#')) return numerical(body)
  return trueFalse(body) ?? choicesOrShort(body)
}

function readBlock(block: Block, bank: Bank, taken: Set<string>) {
  const where = `line ${block.line}`
  let text = block.text.trim()
  const title = /^::([\s\S]*?[^\\])::/.exec(text)
  if (title) text = text.slice(title[0].length).trim()
  const format = /^\[(html|moodle|plain|markdown)\]/i.exec(text)
  if (format) text = text.slice(format[0].length)
  const open = unescapedIndex(text, '{')
  const close = open < 0 ? -1 : unescapedIndex(text, '}', open)
  if (open < 0)
    return bank.skipped.push({ where, reason: 'a description, not a question (no answers in braces)' })
  if (close < 0) return bank.skipped.push({ where, reason: 'its “{” is never closed' })
  const [answers, general] = splitGeneralFeedback(text.slice(open + 1, close))
  const read = readAnswers(answers)
  if (!read.question) return bank.skipped.push({ where, reason: read.skip ?? 'not a question we can hold' })
  const html = format?.[1]?.toLowerCase() === 'html' || format?.[1]?.toLowerCase() === 'moodle'
  const plain = (raw: string) => (html ? htmlToText(unescapeGift(raw)).text : unescapeGift(raw))
  const after = text.slice(close + 1).trim()
  const prompt = after ? `${plain(text.slice(0, open))} _____ ${plain(after)}` : plain(text.slice(0, open))
  const id = idFrom(
    title ? unescapeGift(title[1] as string) : undefined,
    taken,
    `q${bank.questions.length + bank.skipped.length + 1}`,
  )
  const warnings = read.warnings.map((warning) => `${where}: ${warning}.`)
  const explanation = general === undefined ? {} : { explanation: plain(general) }
  bank.questions.push({
    where,
    question: { id, prompt, ...read.question, ...explanation } as QuestionInput,
    warnings,
  })
}

/** The answers and the general feedback (after `####`). */
function splitGeneralFeedback(body: string): [string, string | undefined] {
  const at = body.search(/(^|[^\\])####/)
  if (at < 0) return [body, undefined]
  const start = body[at] === '#' ? at : at + 1
  return [body.slice(0, start), body.slice(start + 4)]
}

export function readGift(source: string): Bank {
  const bank = emptyBank()
  const taken = new Set<string>()
  for (const block of blocksOf(source)) {
    const category = /^\$CATEGORY:\s*(.*)$/.exec(block.text.trim())
    if (category) {
      const path = (category[1] as string).replace(/^\$(course|system|module)\$\/(top\/?)?/, '').trim()
      bank.title = path.split('/').filter(Boolean).at(-1) ?? bank.title
      bank.warnings.push(`line ${block.line}: category “${path}” — its questions go into this unit.`)
      continue
    }
    readBlock(block, bank, taken)
  }
  return bank
}

const escapeGift = (text: string) => text.replace(/[\\~=#{}:]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')

const said = (feedback: string | undefined) => (feedback ? ` #${escapeGift(feedback)}` : '')

/** The GIFT weight of one of `count` right answers: Moodle's grades have five decimals. */
const weightOf = (count: number) => Number((100 / count).toFixed(5))

function answersOf(question: Question): string[] {
  switch (question.kind) {
    case 'single_choice':
      return question.choices.map(
        (c) => `${c.id === question.answer ? '=' : '~'}${escapeGift(c.text)}${said(c.feedback)}`,
      )
    case 'multiple_choice':
      return question.choices.map((c) => {
        const weight = question.answers.includes(c.id) ? weightOf(question.answers.length) : -100
        return `~%${weight}%${escapeGift(c.text)}${said(c.feedback)}`
      })
    case 'numeric':
      return [`#${question.answer}:${question.tolerance}`]
    case 'short_text':
      return question.acceptedAnswers.map((a) => `=${escapeGift(a)}`)
  }
}

export type Written = { file: string; skipped: { id: string; reason: string }[] }

/** An activity's questions as GIFT; parameterised ones have no GIFT form and are named in comments. */
export function writeGift(name: string, questions: readonly Question[], note: string): Written {
  const skipped: Written['skipped'] = []
  const blocks = [`// ${name.replace(/\n/g, ' ')}`, `// ${note}`]
  for (const question of questions) {
    if (question.variables) {
      skipped.push({ id: question.id, reason: 'parameterised questions have no GIFT form' })
      blocks.push(`// Not exported: ${question.id} (parameterised questions have no GIFT form)`)
      continue
    }
    if (question.points !== 1)
      blocks.push(`// ${question.id} is worth ${question.points} points; GIFT has no points`)
    const general = question.explanation ? `\n####${escapeGift(question.explanation)}` : ''
    const answers = answersOf(question).join('\n')
    blocks.push(`::${escapeGift(question.id)}::${escapeGift(question.prompt)} {\n${answers}${general}\n}\n`)
  }
  return { file: `${blocks.join('\n')}\n`, skipped }
}
