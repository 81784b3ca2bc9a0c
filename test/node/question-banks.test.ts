/**
 * The question-bank formats, read from our own fixtures (test/question-banks/, written for this
 * project and covering the structures Moodle's own GIFT and XML tests cover) and written back.
 */
import { readFileSync } from 'node:fs'
import { deflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { validateXML } from 'xmllint-wasm'
import { activityContent } from '../../src/content/schema.ts'
import type { BankError } from '../../src/interop/bank.ts'
import { type Format, readBank, writeActivity } from '../../src/interop/formats.ts'
import { openZip, writeZip } from '../../src/interop/zip.ts'

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../question-banks/${name}`, import.meta.url)))

const byId = <T extends { id: string }>(questions: T[]) => Object.fromEntries(questions.map((q) => [q.id, q]))

describe('GIFT', () => {
  it('reads every structure, with titles, feedback and categories, and skips what it cannot hold by line', async () => {
    const bank = await readBank('gift', 'text/plain', fixture('sample.gift.txt'))
    const questions = byId(bank.questions)
    expect(bank.title).toBe('Adding up')
    expect(questions['add-1']).toEqual({
      id: 'add-1',
      kind: 'single_choice',
      prompt: 'What is 2 + 2?',
      points: 1,
      choices: [
        { id: 'a', text: '4', feedback: 'Yes: two and two make four.' },
        { id: 'b', text: '3', feedback: 'That is one short.' },
        { id: 'c', text: '5', feedback: 'That is one too many.' },
      ],
      answer: 'a',
      explanation: 'Count on from 2: three, four.',
    })
    expect(questions.even).toMatchObject({ kind: 'multiple_choice', answers: ['a', 'b'] })
    expect(questions.even).toHaveProperty('choices.2', {
      id: 'c',
      text: '3',
      feedback: 'Odd: 3 leaves one over.',
    })
    // {T#said when wrong#said when right}: True is right, so False carries the first.
    expect(questions['tf-true']).toMatchObject({
      kind: 'single_choice',
      answer: 'a',
      choices: [
        { id: 'a', text: 'True', feedback: 'Right: odd + odd is even.' },
        { id: 'b', text: 'False', feedback: 'Try 1 + 3.' },
      ],
    })
    expect(questions['tf-false']).toMatchObject({
      answer: 'b',
      choices: [{ text: 'True' }, { text: 'False' }],
    })
    expect(questions.cat).toMatchObject({ kind: 'short_text', acceptedAnswers: ['cat', 'kitten'] })
    expect(questions.pi).toMatchObject({
      kind: 'numeric',
      prompt: 'Give {pi} to two decimal places.',
      answer: 3.14,
      tolerance: 0.005,
    })
    expect(questions.range).toMatchObject({ kind: 'numeric', answer: 3, tolerance: 2 })
    expect(questions['multi-num']).toMatchObject({ kind: 'numeric', answer: 2003, tolerance: 0 })
    expect(questions.missing).toMatchObject({ prompt: 'Two plus two is _____ in words.', answer: 'a' })
    expect(questions['escaped-title']).toMatchObject({
      choices: [{ text: '=' }, { text: '~' }, { text: '#' }],
    })
    expect(questions['html-q']?.prompt).toBe('Which is bold?\nPick one.')
    expect(bank.skipped).toEqual([
      { where: 'line 42', reason: 'an essay question (no answers to grade)' },
      { where: 'line 44', reason: 'a matching question' },
      { where: 'line 46', reason: 'a description, not a question (no answers in braces)' },
      { where: 'line 48', reason: 'it has 1 choice; a question here has 2 to 20' },
    ])
    // Only the kept questions' changes: the skipped one-choice question's weights are not reported.
    expect(bank.warnings).toEqual([
      'line 4: category “Arithmetic/Adding up” — its questions go into this unit.',
      'line 13: weights become all or nothing: the answer is every choice with a positive weight.',
      'line 25: partial-credit answers are dropped.',
      'line 31: partial-credit answers are dropped: only the full-credit one is kept.',
    ])
  })
})

describe('Moodle XML', () => {
  it('reads each supported type, calculated questions as parameterised ones, and names what it skips', async () => {
    const bank = await readBank('moodle-xml', 'application/xml', fixture('sample.moodle.xml'))
    const questions = byId(bank.questions)
    expect(bank.title).toBe('Geometry')
    expect(questions.triangle).toEqual({
      id: 'triangle',
      kind: 'single_choice',
      prompt: 'How many sides has a triangle?\n[a triangle]',
      points: 2,
      explanation: 'Tri means three.',
      choices: [
        { id: 'a', text: '3', feedback: 'Yes.' },
        { id: 'b', text: '4', feedback: 'That is a square.' },
        { id: 'c', text: '5' },
      ],
      answer: 'a',
    })
    expect(questions['Prime-numbers-pick-all']).toMatchObject({
      kind: 'multiple_choice',
      answers: ['a', 'b'],
    })
    expect(questions['square-angles']).toMatchObject({
      answer: 'a',
      choices: [
        { text: 'True', feedback: 'Yes, all four.' },
        { text: 'False', feedback: 'Look at a corner.' },
      ],
    })
    expect(questions.shape).toMatchObject({ kind: 'short_text', acceptedAnswers: ['square', 'a square'] })
    expect(questions.perimeter).toMatchObject({ kind: 'numeric', answer: 8, tolerance: 0.1 })
    expect(questions['rectangle-area']).toMatchObject({
      kind: 'numeric',
      prompt: 'A rectangle is {a} cm by {b} cm. Its area is {=a * b} cm² — how many square cm?',
      answer: 'round(a * b, 2)',
      tolerance: 0,
      variables: { a: { min: 1, max: 9, step: 1 }, b: { min: 1.5, max: 4.5, step: 0.1, decimals: 1 } },
    })
    const where = (n: number) =>
      expect.stringMatching(new RegExp(`^quiz/question\\[${n}\\] \\(line \\d+\\)$`))
    expect(bank.skipped).toEqual([
      { where: where(8), reason: 'it uses pi(), which our expressions lack' },
      { where: where(9), reason: 'its tolerance is relative; only a nominal one can be kept' },
      { where: where(10), reason: 'its dataset {y} is shared with other questions' },
      { where: where(11), reason: 'an essay (no answers to grade)' },
      { where: where(12), reason: 'a matching question' },
      { where: where(13), reason: 'an embedded-answers (cloze) question' },
      { where: where(14), reason: 'it has 21 choices; a question here has 2 to 20' },
    ])
    expect(bank.warnings.join('\n')).toMatch(/an image left out of its text/)
    expect(bank.warnings.join('\n')).toMatch(/units \(m\) are not kept/)
    expect(bank.warnings.join('\n')).toMatch(/answers here are compared ignoring case/)
    expect(bank.warnings.at(-1)).toBe(
      'the file shuffles choices: here shuffling is one setting for the whole activity, off until you turn it on.',
    )
  })
})

describe('QTI 3.0', () => {
  it('reads a single item scored by the match_correct template', async () => {
    const bank = await readBank('qti', 'application/xml', fixture('choice-item.qti.xml'))
    expect(bank.questions).toEqual([
      {
        id: 'capital-fr',
        kind: 'single_choice',
        prompt: 'Europe has many capitals.\nWhich city is the capital of France?',
        points: 1,
        choices: [
          { id: 'paris', text: 'Paris' },
          { id: 'lyon', text: 'Lyon' },
          { id: 'nice', text: 'Nice' },
        ],
        answer: 'paris',
      },
    ])
    // Its interaction shuffles: said once, since here shuffling is the activity's setting.
    expect(bank.warnings).toEqual([
      'the file shuffles choices: here shuffling is one setting for the whole activity, off until you turn it on.',
    ])
  })

  it('reads a deflated content package in its test’s order, and skips an essay by its file', async () => {
    const bank = await readBank('qti', 'application/zip', fixture('science.qti.zip'))
    expect(bank.title).toBe('Science check')
    expect(bank.questions.map((q) => q.id)).toEqual(['boiling', 'colours', 'word'])
    const questions = byId(bank.questions)
    expect(questions.boiling).toMatchObject({
      kind: 'numeric',
      prompt: 'Water boils at _____ °C at sea level.',
      answer: 100,
      tolerance: 0.5,
      points: 3,
    })
    expect(questions.colours).toMatchObject({
      kind: 'multiple_choice',
      answers: ['red', 'blue'],
      choices: [
        { text: 'Red' },
        { text: 'Blue' },
        { id: 'green', text: 'Green', feedback: 'Green mixes blue and yellow.' },
      ],
    })
    expect(questions.word).toMatchObject({
      kind: 'short_text',
      prompt: 'Boiling water turns into',
      acceptedAnswers: ['steam', 'water vapour'],
    })
    expect(bank.skipped).toEqual([
      { where: 'items/essay.xml (line 2)', reason: 'its extended-text interaction has no form here' },
    ])
  })
})

/** Every kind, with what each format must carry: choice feedback, explanations, tolerance, several answers. */
const activity = activityContent.parse({
  questions: [
    {
      id: 'capital',
      kind: 'single_choice',
      prompt: 'Which is right: 1 + 1 = 2, or a ~ b # c: d?',
      points: 2,
      explanation: 'Add one & one.\nThen check <b>twice</b>.',
      choices: [
        { id: 'a', text: '1 + 1 = 2', feedback: 'Yes.' },
        { id: 'b', text: 'a ~ b # c: d', feedback: 'Those are <symbols> & marks.' },
        { id: 'c', text: 'Neither' },
      ],
      answer: 'a',
    },
    {
      id: 'evens',
      kind: 'multiple_choice',
      prompt: 'Pick the even numbers.',
      choices: [
        { id: 'a', text: '2' },
        { id: 'b', text: '3', feedback: 'Odd.' },
        { id: 'c', text: '4' },
      ],
      answers: ['a', 'c'],
    },
    { id: 'half', kind: 'numeric', prompt: 'What is 1 / 2?', answer: 0.5, tolerance: 0.01 },
    { id: 'n7', kind: 'numeric', prompt: 'Seven as a number?', answer: 7, points: 3 },
    { id: 'word', kind: 'short_text', prompt: 'A young cat is a …', acceptedAnswers: ['kitten', 'kitty'] },
    {
      id: 'sum',
      kind: 'numeric',
      prompt: 'What is {a} + {b}? (Hint: {= a * 10} tens.)',
      variables: { a: { min: 1, max: 9, step: 1 }, b: { min: 0.5, max: 2.5, step: 0.1, decimals: 1 } },
      answer: 'a + b',
      tolerance: 0.001,
    },
    {
      id: 'bigger',
      kind: 'single_choice',
      prompt: 'Which is bigger?',
      variables: { a: { min: 1, max: 9, step: 1 } },
      choices: [
        { id: 'a', text: '{a}' },
        { id: 'b', text: '{= a + 1}' },
      ],
      answer: 'b',
    },
  ],
})

const exported = (format: Format) => {
  const file = writeActivity(format, 'Round trip', activity)
  const type = format === 'gift' ? 'text/plain' : format === 'qti' ? 'application/zip' : 'application/xml'
  const bytes = typeof file.body === 'string' ? new TextEncoder().encode(file.body) : file.body
  return { file, type, bytes }
}

describe('round trips: exported, then imported again, an activity’s questions come back the same', () => {
  it.each([
    ['gift', ['sum', 'bigger']],
    ['moodle-xml', ['bigger']],
    ['qti', ['sum', 'bigger']],
  ] as const)('%s (what it cannot hold named: %j)', async (format, notHeld) => {
    const { file, type, bytes } = exported(format)
    expect(file.skipped.map((s) => s.id)).toEqual(notHeld)
    const back = await readBank(format, type, bytes)
    expect(back.skipped).toEqual([])
    const held = activity.questions.filter((q) => !(notHeld as readonly string[]).includes(q.id))
    // GIFT has no points: everything comes back worth 1.
    const expected = format === 'gift' ? held.map((q) => ({ ...q, points: 1 })) : held
    expect(back.questions).toEqual(expected)
  })
})

const XSD = new URL('../question-banks/xsd/', import.meta.url)
const xsd = (path: string) => ({ fileName: path, contents: readFileSync(new URL(path, XSD), 'utf8') })

describe('QTI 3.0 output against 1EdTech’s schemas', () => {
  it('the package manifest is valid against the IMS CP 1.2 (QTI 3.0) XSD', async () => {
    const zip = openZip(exported('qti').bytes)
    const manifest = new TextDecoder().decode(await zip.read('imsmanifest.xml'))
    const result = await validateXML({
      xml: [{ fileName: 'imsmanifest.xml', contents: manifest }],
      schema: [xsd('qtiv3p0/imsqtiv3p0_imscpv1p2_v1p0.xsd')],
      preload: [
        xsd('w3/xml.xsd'),
        xsd('imsmd_loose_v1p3p2.xsd'),
        xsd('qtiv3p0/imsqtiv3p0_csmv1p1_v1p0.xsd'),
        xsd('qtiv3p0/imsqti_metadatav3p0_v1p0.xsd'),
        xsd('qtiv3p0/imsqtiv3p0_cpextv1p2_v1p0.xsd'),
        xsd('qtiv3p0/imsqtiv3p0_afa3p0drd_v1p0.xsd'),
      ],
    })
    expect(result.errors).toEqual([])
    expect(result.valid).toBe(true)
    // The same check refuses a manifest that breaks the schema, so it is not vacuous.
    const broken = await validateXML({
      xml: [
        { fileName: 'imsmanifest.xml', contents: manifest.replace('<organizations/>', '<organisations/>') },
      ],
      schema: [xsd('qtiv3p0/imsqtiv3p0_imscpv1p2_v1p0.xsd')],
      preload: [
        xsd('w3/xml.xsd'),
        xsd('imsmd_loose_v1p3p2.xsd'),
        xsd('qtiv3p0/imsqtiv3p0_csmv1p1_v1p0.xsd'),
        xsd('qtiv3p0/imsqti_metadatav3p0_v1p0.xsd'),
        xsd('qtiv3p0/imsqtiv3p0_cpextv1p2_v1p0.xsd'),
        xsd('qtiv3p0/imsqtiv3p0_afa3p0drd_v1p0.xsd'),
      ],
    })
    expect(broken.valid).toBe(false)
  })
})

/** A one-entry zip whose entry is deflated, declaring `declared` as its size (its real size by default). */
function deflatedZip(name: string, data: Uint8Array, declared = data.length): Uint8Array {
  const compressed = deflateRawSync(data)
  const stored = writeZip([{ name, text: '' }])
  // writeZip's layout, with method 8 and the sizes patched in: local header, data, central, end.
  const nameLength = new TextEncoder().encode(name).length
  const local = stored.slice(0, 30 + nameLength)
  const central = stored.slice(30 + nameLength, 30 + nameLength + 46 + nameLength)
  const end = stored.slice(stored.length - 22)
  for (const [header, at] of [
    [local, 8],
    [central, 10],
  ] as const)
    new DataView(header.buffer).setUint16(at, 8, true)
  for (const [header, at] of [
    [local, 18],
    [central, 20],
  ] as const)
    new DataView(header.buffer).setUint32(at, compressed.length, true)
  for (const [header, at] of [
    [local, 22],
    [central, 24],
  ] as const)
    new DataView(header.buffer).setUint32(at, declared, true)
  new DataView(end.buffer).setUint32(16, local.length + compressed.length, true)
  return new Uint8Array([...local, ...compressed, ...central, ...end])
}

const refusal = async (format: Format, type: string, body: string | Uint8Array) => {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body
  return readBank(format, type, bytes).then(
    () => 'read',
    (error: BankError) => `${error.where}: ${error.message}`,
  )
}

describe('files that cannot be read are refused with their place, and nothing dangerous is followed', () => {
  it('refuses a DOCTYPE, entities, and runaway nesting or size in XML', async () => {
    const bomb =
      '<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n<quiz>&b;</quiz>'
    expect(await refusal('moodle-xml', 'application/xml', bomb)).toBe(
      'line 2: a DOCTYPE or entity declaration (refused: entities can expand or fetch)',
    )
    expect(
      await refusal('moodle-xml', 'application/xml', '<quiz>\n\n<question>&nbsp;</question></quiz>'),
    ).toBe('line 3: the entity &nbsp; is not defined (entities are refused)')
    expect(await refusal('moodle-xml', 'application/xml', `<quiz>${'<a>'.repeat(70)}`)).toBe(
      'line 1: elements nested deeper than 64',
    )
    expect(await refusal('moodle-xml', 'application/xml', `<quiz>${'<a/>'.repeat(50_001)}</quiz>`)).toBe(
      'line 1: more than 50000 elements',
    )
    expect(
      await refusal('moodle-xml', 'application/xml', '<quiz>\n<question type="truefalse">\n</quiz>'),
    ).toBe('line 3: </quiz> closes <question>')
    expect(await refusal('moodle-xml', 'application/xml', '<test/>')).toBe(
      'line 1: the root element is <test>, not <quiz>',
    )
    expect(
      await refusal('moodle-xml', 'application/xml', '<?xml version="1.0" encoding="ISO-8859-1"?><quiz/>'),
    ).toBe('line 1: the file declares ISO-8859-1; send it as UTF-8')
    expect(await refusal('gift', 'text/plain', new Uint8Array([0x3a, 0x3a, 0xff, 0xfe]))).toBe(
      'the file: the file is not UTF-8 text',
    )
  })

  it('refuses a QTI test sent without its package, and zips that are bombs, broken or not zips', async () => {
    expect(await refusal('qti', 'application/xml', '<qti-assessment-test identifier="t"/>')).toBe(
      'line 1: a test names its items in other files: send the content package (zip)',
    )
    expect(await refusal('qti', 'application/zip', 'not a zip at all, just text')).toBe(
      'the zip archive: not a zip archive (no central directory)',
    )
    const zeros = new Uint8Array(1024 * 1024)
    expect(await refusal('qti', 'application/zip', deflatedZip('imsmanifest.xml', zeros))).toBe(
      'the zip archive: imsmanifest.xml inflates more than 100 times',
    )
    // A size that lies: declared small, inflating past it is stopped there.
    const text = new TextEncoder().encode(`<manifest>${'<resource/>'.repeat(200)}</manifest>`)
    expect(await refusal('qti', 'application/zip', deflatedZip('imsmanifest.xml', text, 100))).toBe(
      'the zip archive: imsmanifest.xml inflates beyond its declared size',
    )
    expect(await refusal('qti', 'application/zip', writeZip([{ name: 'items/a.xml', text: '<a/>' }]))).toBe(
      'imsmanifest.xml: a content package has imsmanifest.xml at its root',
    )
    // A deflated manifest that is honest is read (the same path a real package takes).
    const manifest = '<manifest><resources/></manifest>'
    expect(
      await refusal(
        'qti',
        'application/zip',
        deflatedZip('imsmanifest.xml', new TextEncoder().encode(manifest)),
      ),
    ).toBe('read')
  })
})
