import { createApp } from './app.ts'
import { createDb } from './db/client.ts'
import { describeForLog } from './db/errors.ts'
import { parseEnv } from './env.ts'
import { renderProblem } from './errors.ts'
import { flipDueReviews } from './progress/due-reviews.ts'
import { deleteExpiredKeys } from './progress/idempotency.ts'

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
   * The Cron Trigger (wrangler.toml), as of the scheduled time: due reviews flip to review_needed, and
   * expired Idempotency-Keys go. One batch, one round trip.
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
      const [flipped, expired] = await db.batch([flipDueReviews(db, at), deleteExpiredKeys(db, at)])
      const counts = { reviewsDue: flipped.rowCount ?? 0, expiredKeys: expired.rowCount ?? 0 }
      console.log(JSON.stringify({ level: 'info', cron: controller.cron, at: at.toISOString(), ...counts }))
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', cron: controller.cron, ...describeForLog(error) }))
      throw error
    }
  },
} satisfies ExportedHandler<CloudflareBindings>
