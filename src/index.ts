import { consumeChanges } from './analytics/aggregates.ts'
import { createApp } from './app.ts'
import { batchByName } from './db/batch.ts'
import { createDb } from './db/client.ts'
import { describeForLog } from './db/errors.ts'
import { parseEnv } from './env.ts'
import { renderProblem } from './errors.ts'
import { stalledScoreLinks } from './lti/grade-sender.ts'
import { toolKeys } from './lti/keys.ts'
import { deleteStaleDraftPlatforms } from './lti/platforms.ts'
import { consumeLti, tellQueue } from './lti/queue.ts'
import { abandonStaleAttempts } from './progress/queries.ts'
import { flipDueReviews } from './progress/reads/due-reviews.ts'
import { deleteExpiredKeys } from './progress/write/idempotency.ts'
import { deleteAbandonedLearners, deleteExpiredChallenges, deleteIdleSessions } from './session/retention.ts'

/** How long an attempt may stay in progress before the cron abandons it, unless OPEN_ATTEMPT_HOURS says. */
const DEFAULT_OPEN_ATTEMPT_HOURS = 24

export type { AppType } from './app.ts'

const app = createApp()

export default {
  fetch(request, bindings, ctx) {
    const result = parseEnv(bindings)
    if (!result.ok) {
      // Fail closed: name the bad keys so an operator can fix them, never show their values.
      return renderProblem(
        'misconfigured',
        `The service is misconfigured: invalid or missing ${result.invalidKeys.join(', ')}.`,
        { instance: new URL(request.url).pathname, requestId: crypto.randomUUID() },
      )
    }
    return app.fetch(request, result.env, ctx)
  },

  /**
   * The Cron Trigger (wrangler.toml), as of the scheduled time: due reviews flip to review_needed,
   * expired Idempotency-Keys and used challenges go, attempts left open too long are abandoned, and
   * idle sessions and the anonymous learners left without any go (session/retention.ts): one batch,
   * one round trip. Then the analytics change logs are consumed into their aggregates
   * (analytics/aggregates.ts), one round trip per 20 000 changes.
   */
  async scheduled(controller, bindings) {
    const result = parseEnv(bindings)
    if (!result.ok) {
      console.error(
        JSON.stringify({ level: 'error', cron: controller.cron, invalidKeys: result.invalidKeys }),
      )
      return
    }
    const at = new Date(controller.scheduledTime)
    try {
      const db = createDb(result.env)
      const hours = result.env.OPEN_ATTEMPT_HOURS ?? DEFAULT_OPEN_ATTEMPT_HOURS
      const { named } = await batchByName(db, {
        reviewsDue: flipDueReviews(db, at),
        expiredKeys: deleteExpiredKeys(db, at),
        abandonedAttempts: abandonStaleAttempts(db, at, hours),
        idleSessions: deleteIdleSessions(db, at),
        abandonedLearners: deleteAbandonedLearners(db, at),
        expiredChallenges: deleteExpiredChallenges(db, at),
        staleDraftPlatforms: deleteStaleDraftPlatforms(db, at),
        stalledGrades: stalledScoreLinks(db, at),
      })
      const { stalledGrades, ...deletions } = named
      await tellQueue(
        result.env.LTI_QUEUE,
        stalledGrades.map(({ linkId }) => ({ kind: 'scores', linkId })),
      )
      const counts = {
        ...Object.fromEntries(
          Object.entries(deletions).map(([name, result]) => [name, result.rowCount ?? 0]),
        ),
        stalledGrades: stalledGrades.length,
      }
      // The analytics change logs, in rounds of their own: a slow round never holds up the cleanup above.
      const consumed = await consumeChanges(db)
      console.log(
        JSON.stringify({
          level: 'info',
          cron: controller.cron,
          at: at.toISOString(),
          ...counts,
          ...consumed,
        }),
      )
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', cron: controller.cron, ...describeForLog(error) }))
      throw error
    }
  },

  /**
   * LTI's queue and its dead letters (lti/queue.ts): grades to send, rosters to read. One line of
   * counts per batch; never a URL, a token or a score.
   */
  async queue(batch, bindings) {
    const result = parseEnv(bindings)
    if (!result.ok) {
      console.error(JSON.stringify({ level: 'error', queue: batch.queue, invalidKeys: result.invalidKeys }))
      batch.retryAll()
      return
    }
    try {
      const db = createDb(result.env)
      const report = await consumeLti(batch, db, await toolKeys(result.env.LTI_PRIVATE_KEYS))
      console.log(
        JSON.stringify({ level: 'info', queue: batch.queue, messages: batch.messages.length, ...report }),
      )
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', queue: batch.queue, ...describeForLog(error) }))
      throw error
    }
  },
} satisfies ExportedHandler<CloudflareBindings>
