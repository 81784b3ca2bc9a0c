/**
 * The authors' studio: the catalogue, drafts and publishing, the activity editor with its preview,
 * dashboards, classes, and moving a catalogue. A static page like the learner page, on the admin
 * API; without a valid token it shows only the sign-in form.
 */
import { announce, configureRouter, render, route } from '../router.ts'
import { token } from './api.ts'
import { activityAnalyticsView, skillAnalyticsView } from './views/analytics.ts'
import { catalogueView } from './views/catalogue.ts'
import { classesView } from './views/classes.ts'
import { activityEditorView } from './views/editor.ts'
import { platformsView } from './views/platforms.ts'
import { showSignIn } from './views/sign-in.ts'
import { skillView } from './views/skill.ts'

const uuid = '([0-9a-fA-F-]{36})'
configureRouter({
  name: 'Studio',
  home: 'Back to the catalogue',
  // A token that stopped working (rotated, mistyped): ask for it again, then show the view.
  recover: async () => {
    token.clear()
    await showSignIn('Your token was refused. Sign in again.')
    return true
  },
})
route(/^\/$/, catalogueView)
route(new RegExp(`^/skills/${uuid}$`), skillView)
route(new RegExp(`^/skills/${uuid}/analytics$`), skillAnalyticsView)
route(new RegExp(`^/activities/${uuid}$`), activityEditorView)
route(new RegExp(`^/activities/${uuid}/analytics$`), activityAnalyticsView)
route(/^\/classes$/, classesView)
route(/^\/platforms$/, platformsView)

async function boot() {
  if (!token.get()) await showSignIn()
  document.getElementById('signed-in')?.removeAttribute('hidden')
  document.getElementById('sign-out')?.addEventListener('click', () => {
    token.clear()
    location.hash = '#/'
    location.reload()
  })
  await render({ focus: false })
  // What an action that reloads the page (publishing) has to say, said once the page is back.
  const pending = sessionStorage.getItem('studio:announce')
  if (pending) {
    sessionStorage.removeItem('studio:announce')
    announce(pending)
  }
  window.addEventListener('hashchange', () => {
    if (location.hash.startsWith('#/') || location.hash === '') void render({ focus: true })
  })
}

void boot()
