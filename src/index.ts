import { createApp } from './app.ts'
import { parseEnv } from './env.ts'
import { renderProblem } from './errors.ts'

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
} satisfies ExportedHandler<CloudflareBindings>
