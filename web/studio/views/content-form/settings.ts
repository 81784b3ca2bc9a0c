/** The activity-wide settings: instructions, passing score, drawing, shuffling, what a submit shows. */
import { h } from '../../../dom.ts'
import { type Content, checkbox, input, numberOr, select } from './fields.ts'

type Review = NonNullable<Content['review']>

export function activitySettings(content: Content, changed: () => void) {
  const review: Review = content.review ?? {}
  const setReview = <K extends keyof Review>(key: K, value: Review[K]) => {
    if (value === undefined) delete review[key]
    else review[key] = value
    content.review = Object.keys(review).length > 0 ? review : undefined
    changed()
  }
  const setNumber = (key: 'passingScore' | 'draw') => (value: string) => {
    content[key] = numberOr(value)
    changed()
  }
  return h(
    'fieldset',
    { class: 'question-editor' },
    h('legend', {}, 'The activity'),
    input('Instructions', '/content/instructions', content.instructions, (value) => {
      content.instructions = value || undefined
      changed()
    }),
    input(
      'Passing score (0–1)',
      '/content/passingScore',
      content.passingScore ?? 0.7,
      setNumber('passingScore'),
      {
        type: 'number',
        min: 0,
        max: 1,
        step: 0.05,
      },
    ),
    input(
      'Draw this many questions per attempt (empty: all)',
      '/content/draw',
      content.draw,
      setNumber('draw'),
      {
        type: 'number',
        min: 1,
        max: 50,
      },
    ),
    checkbox(
      'Shuffle questions and choices in each attempt',
      '/content/shuffle',
      content.shuffle === true,
      (on) => {
        content.shuffle = on || undefined
      },
      changed,
    ),
    select(
      'After a submit, show which answers were right',
      '/content/review/correctness',
      [
        ['', 'As the activity type says'],
        ['true', 'Yes'],
        ['false', 'No, the score only'],
      ],
      review.correctness === undefined ? '' : String(review.correctness),
      (value) => setReview('correctness', value === '' ? undefined : value === 'true'),
    ),
    select(
      'Show the expected answers',
      '/content/review/answers',
      [
        ['', 'As the activity type says'],
        ['always', 'Always'],
        ['after_pass', 'Once the attempt passes'],
        ['never', 'Never'],
      ],
      review.answers ?? '',
      (value) => setReview('answers', value === '' ? undefined : (value as NonNullable<Review['answers']>)),
    ),
  )
}
