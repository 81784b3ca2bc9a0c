/**
 * LTI's queue (wrangler.toml `lti`, dead letters in `lti-failed`): work a request must not wait for.
 * A message only says where to look — a grade link with a new score, a course whose roster to read —
 * so a message delivered twice, or late, or out of order does no harm: the consumer reads what is
 * current and acts on that.
 */
import { batchByName } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import { recordFailedScores, sendScores } from './grade-sender.ts'
import type { ToolKeys } from './keys.ts'
import { type RosterRequest, syncRoster } from './roster.ts'

export type LtiMessage = { kind: 'scores'; linkId: string } | ({ kind: 'roster' } & RosterRequest)

const DEAD_LETTERS = 'lti-failed'

/** Sooner first, then longer: 5 s, 10 s, 20 s… at most 5 minutes. */
export const retryDelaySeconds = (attempts: number) => Math.min(300, 5 * 2 ** (attempts - 1))
const backoff = (attempts: number) => ({ delaySeconds: retryDelaySeconds(attempts) })

/**
 * The queue is told after the response: the outbox row is already committed, so a send that fails is
 * logged, and the cron tells the queue again (grade-sender.ts, stalledScoreLinks).
 */
export async function tellQueue(queue: Queue, messages: LtiMessage[]) {
  if (messages.length === 0) return
  try {
    await queue.sendBatch(messages.map((body) => ({ body })))
  } catch {
    console.error(JSON.stringify({ level: 'error', queue: 'lti', unsent: messages.length }))
  }
}

const isMessage = (body: unknown): body is LtiMessage =>
  typeof body === 'object' && body !== null && ['scores', 'roster'].includes((body as LtiMessage).kind)

/** What a batch did, for the log line: counts only, never a URL or a token. */
export type QueueReport = {
  sent: number
  stale: number
  nothing: number
  retried: number
  failed: number
  rosters: number
  /** What platforms answered when they refused: words, never a URL or a token. */
  errors: string[]
}

export async function consumeLti(
  batch: MessageBatch<unknown>,
  db: Db,
  tool: ToolKeys | null,
): Promise<QueueReport> {
  const report: QueueReport = { sent: 0, stale: 0, nothing: 0, retried: 0, failed: 0, rosters: 0, errors: [] }
  const messages = batch.messages.filter((message) => {
    if (isMessage(message.body)) return true
    message.ack() // not ours to understand: no retry will make it so
    return false
  })
  const linkIds = (m: readonly Message<unknown>[]) => [
    ...new Set(m.map((message) => (message.body as LtiMessage & { kind: 'scores' }).linkId)),
  ]
  const scores = messages.filter((message) => (message.body as LtiMessage).kind === 'scores')
  if (batch.queue === DEAD_LETTERS) {
    if (scores.length > 0) {
      const { named } = await batchByName(db, recordFailedScores(db, linkIds(scores)))
      report.failed = named.failed.rowCount ?? 0
    }
    batch.ackAll()
    return report
  }
  if (!tool) {
    batch.retryAll(backoff(1))
    report.retried = messages.length
    return report
  }
  const outcomes = scores.length > 0 ? await sendScores(db, linkIds(scores), tool) : []
  for (const message of scores) {
    const outcome = outcomes.find((o) => o.linkId === (message.body as { linkId: string }).linkId)
    if (outcome?.outcome === 'failed' && outcome.retry) message.retry(backoff(message.attempts))
    else message.ack()
  }
  for (const outcome of outcomes) {
    report[outcome.outcome === 'failed' && outcome.retry ? 'retried' : outcome.outcome]++
    if (outcome.outcome === 'failed') report.errors.push(outcome.error)
  }
  for (const message of messages.filter((m) => (m.body as LtiMessage).kind === 'roster')) {
    const synced = await syncRoster(db, message.body as RosterRequest, tool)
    if (synced.outcome === 'retry') message.retry(backoff(message.attempts))
    else message.ack()
    report.rosters++
    if (synced.error) report.errors.push(synced.error)
  }
  return report
}
