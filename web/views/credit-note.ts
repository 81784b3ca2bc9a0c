/**
 * What counts toward mastery, in words: before an attempt (from GET /v1/me/activities/{id}/credit)
 * and after it, per question (its feedback's countsAgainAt and retired). The rule itself is the
 * API's (src/mastery/credit.ts); the page only says it.
 */
import type { InferResponseType } from 'hono/client'
import type { api } from '../api.ts'

type Credit = InferResponseType<(typeof api.v1.me.activities)[':activityId']['credit']['$get'], 200>
type Feedback = { credited: boolean; countsAgainAt: string | null; retired: boolean }

const WEEK_MS = 7 * 24 * 3_600_000

/** "Tue 09:40" within a week, "Tue 12 Jan, 09:40" beyond. */
function when(iso: string): string {
  const at = new Date(iso)
  const far = at.getTime() - Date.now() > WEEK_MS
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    ...(far && { day: 'numeric', month: 'short' }),
    hour: '2-digit',
    minute: '2-digit',
  }).format(at)
}

const these = (count: number, total: number, drawn: number | null) =>
  drawn === null ? `${count} of these ${total}` : `${count} of the ${total} questions`

/** Before starting: whether the next attempt counts in full, and if not, from when the rest does. */
export function creditSummary(credit: Credit): string | null {
  const total = credit.questions.length
  const drawn = credit.draw === null ? '' : `Each attempt draws ${credit.draw} of the ${total} questions. `
  if (credit.renews) return `${drawn}New questions each time: every attempt counts toward mastery.`
  const later = credit.questions.filter((q) => q.countsAgainAt !== null)
  const retired = credit.questions.filter((q) => q.retired)
  if (later.length === 0 && retired.length === 0) return null
  const parts: string[] = []
  if (later.length > 0) {
    const last = later
      .map((q) => q.countsAgainAt as string)
      .sort()
      .at(-1) as string
    parts.push(`${these(later.length, total, credit.draw)} count toward mastery again from ${when(last)}`)
  }
  if (retired.length > 0)
    parts.push(`${these(retired.length, total, credit.draw)} no longer count: you have seen their answers`)
  const renewing = credit.questions.filter((q) => q.renews).length
  const fresh =
    renewing > 0 ? ` ${renewing === 1 ? 'One question is' : `${renewing} questions are`} new each time.` : ''
  return `${drawn}${parts.join('; ')}. Answers you just saw or gave are not new evidence.${fresh}`
}

/** After submitting: why a question did not count, and when it will. */
export function countsAgainNote(item: Feedback): string | null {
  if (item.credited) return null
  if (item.retired)
    return 'Not counted toward mastery: you have seen its answer, and it will not count again.'
  if (item.countsAgainAt)
    return `Not counted toward mastery: you answered it or saw its answer recently. It counts again from ${when(item.countsAgainAt)}.`
  return 'Not counted toward mastery.'
}
