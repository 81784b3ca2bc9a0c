/**
 * An activity's content, edited two ways at once: as a form per question kind (content-form.ts) and
 * as raw JSON, one object between them, with a live preview drawn by the learners' own question
 * widget.
 */
import { markFields } from '../../../action.ts'
import { h } from '../../../dom.ts'
import { questionField } from '../../../widgets/question-field.ts'
import { firstInstance, questionProblems, samplePreview } from '../content-form/parameters.ts'
import { type Content, contentForm } from '../content-form.ts'

export function contentEditor(initial: unknown) {
  const json = h(
    'textarea',
    { id: 'content', name: 'content', rows: 24, spellcheck: false, 'aria-describedby': 'content-hint' },
    JSON.stringify(initial, null, 2),
  )
  // One object is the content: the form edits it, the JSON view shows it, the preview draws it.
  let edited = structuredClone(initial) as Content
  const questionsForm = h('div', {})
  const preview = h('div', { class: 'preview' })
  const drawPreview = () => {
    const parameterised = edited.questions.filter((question) => question.variables)
    markFields(
      questionsForm,
      'live',
      edited.questions.flatMap((question, q) => questionProblems(question, `/content/questions/${q}`)),
    )
    preview.replaceChildren(
      h(
        'form',
        { class: 'questions', 'aria-label': 'Preview' },
        // What the API fills in when left out (points: 1), so the preview shows what learners will see.
        // A parameterised question as its first sample instance: what a learner meets is an instance.
        edited.questions.map((question, index) =>
          questionField(
            {
              ...firstInstance(question),
              points: question.points ?? 1,
              renews: !!question.variables,
            } as Parameters<typeof questionField>[0],
            index,
          ),
        ),
      ),
      h(
        'section',
        { class: 'sample-instances', 'aria-label': 'Sample instances', hidden: parameterised.length === 0 },
        parameterised.map(samplePreview),
      ),
    )
  }
  const changed = () => {
    json.value = JSON.stringify(edited, null, 2)
    drawPreview()
  }
  const drawForm = () => questionsForm.replaceChildren(contentForm(edited, changed, drawForm))
  // Raw JSON edits take over once they parse; until then the form and the preview wait.
  json.addEventListener('input', () => {
    try {
      edited = JSON.parse(json.value) as Content
      if (!Array.isArray(edited.questions)) throw new Error('no questions')
    } catch {
      preview.replaceChildren(h('p', { class: 'error' }, 'The JSON is not valid content yet.'))
      return
    }
    drawForm()
    drawPreview()
  })
  drawForm()
  drawPreview()
  const rawJson = h(
    'details',
    { class: 'raw-json' },
    h('summary', {}, 'Content as JSON'),
    h('p', { class: 'field' }, h('label', { for: 'content' }, 'Content (JSON)'), json),
    h(
      'p',
      { class: 'hint', id: 'content-hint' },
      'The same content as the form, as the API takes it: edit either.',
    ),
  )
  return { json, questionsForm, rawJson, preview }
}
