/** The learner page: starts (or resumes) the anonymous session, then renders the route. */
import { describeError, endSession, newSession, startSession } from './api.ts'
import { announce, render, route } from './router.ts'
import { activityView } from './views/activity.ts'
import { skillsView, skillView } from './views/catalogue.ts'
import { progressView } from './views/progress.ts'

const uuid = '([0-9a-fA-F-]{36})'
route(/^\/$/, skillsView)
route(new RegExp(`^/skills/${uuid}$`), skillView)
route(new RegExp(`^/activities/${uuid}$`), activityView)
route(/^\/progress$/, progressView)

async function boot() {
  try {
    await startSession()
  } catch (error) {
    const main = document.getElementById('main') as HTMLElement
    main.textContent = `Could not start a session: ${describeError(error)}`
    return
  }
  await render({ focus: false })
  window.addEventListener('hashchange', () => {
    // The skip link's #main is not a route.
    if (location.hash.startsWith('#/') || location.hash === '') void render({ focus: true })
  })
  document.getElementById('new-learner')?.addEventListener('click', async () => {
    if (!confirm('Start over as a new learner? This device will no longer show your current progress.'))
      return
    try {
      await endSession()
      await newSession()
    } catch (error) {
      alert(describeError(error))
      return
    }
    location.hash = '#/'
    await render({ focus: true })
    announce('You are a new learner now.')
  })
}

void boot()
