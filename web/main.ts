/** The learner page: starts (or resumes) the anonymous session, then renders the route. */
import { describeError, endSession, newSession, startSession } from './api.ts'
import { announce, configureRouter, render, route } from './router.ts'
import { accountView } from './views/account.ts'
import { activityView } from './views/activity.ts'
import { skillsView, skillView } from './views/catalogue.ts'
import { offerMerge } from './views/merge-offer.ts'
import { progressView } from './views/progress.ts'
import { signInView } from './views/sign-in.ts'

const uuid = '([0-9a-fA-F-]{36})'
// A view refused for want of a session (it ended in another tab, or the cookie was cleared) gets one
// more try in a new session rather than an error page.
configureRouter({
  name: 'Learning progress',
  home: 'Back to the skills',
  recover: async () => {
    await newSession()
    announce('Your session had ended: you continue as a new learner.')
    return true
  },
})
route(/^\/$/, skillsView)
route(new RegExp(`^/skills/${uuid}$`), skillView)
route(new RegExp(`^/activities/${uuid}$`), activityView)
route(/^\/progress$/, progressView)
route(/^\/account$/, accountView)
route(/^\/sign-in$/, signInView)

async function boot() {
  try {
    const { created } = await startSession()
    // A first visit: perhaps someone who already has progress elsewhere.
    const welcome = document.getElementById('welcome-back')
    if (welcome && created) welcome.hidden = false
    // Only on the first screen: once the visitor goes anywhere, they have chosen.
    window.addEventListener('hashchange', () => {
      if (welcome) welcome.hidden = true
    })
  } catch (error) {
    const main = document.getElementById('main') as HTMLElement
    main.textContent = `Could not start a session: ${describeError(error)}`
    return
  }
  await render({ focus: false })
  if (location.pathname.startsWith('/lti/app/'))
    void offerMerge(() => render({ focus: false })).catch(() => {
      // An offer that cannot be read is no offer: the page works on.
    })
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
