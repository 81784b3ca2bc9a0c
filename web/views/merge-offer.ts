/**
 * Inside an LMS's launch (/lti/app/), the browser may also hold a learner of its own (the new-window
 * launch, or a platform on the same site): the page offers, once, to bring that learner's progress
 * into the account the course signed in, as passkey sign-in does (GET|POST /v1/me/merge).
 */
import { api, describeError, read } from '../api.ts'
import { formatDateTime, h, plural } from '../dom.ts'
import { announce } from '../router.ts'

export async function offerMerge(rerender: () => Promise<void>) {
  const { merge } = await read(api.v1.me.merge.$get())
  if (!merge?.allowed || merge.attempts === 0) return
  const error = h('p', { role: 'alert', class: 'error' })
  const offer = h(
    'section',
    { class: 'notice', id: 'merge-offer', 'aria-labelledby': 'merge-offer-title' },
    h('h2', { id: 'merge-offer-title' }, 'This browser has progress from before'),
    h(
      'p',
      {},
      `${plural(merge.attempts, 'attempt')} in ${plural(merge.skills, 'skill')}`,
      merge.lastActivityAt ? `, last worked on ${formatDateTime(merge.lastActivityAt)}.` : '.',
      ' If it is yours, bring it into the account your course signed you in to. If not (a shared computer), keep it separate.',
    ),
  )
  const bring = h('button', { type: 'button', class: 'primary' }, 'Bring it into this account')
  const keep = h('button', { type: 'button' }, 'Keep it separate')
  bring.addEventListener('click', async () => {
    bring.disabled = true
    error.textContent = ''
    try {
      const { merged } = await read(api.v1.me.merge.$post())
      offer.remove()
      announce(`${plural(merged.attempts, 'attempt')} from this browser are now in your account.`)
      await rerender()
    } catch (failure) {
      error.textContent = describeError(failure)
      bring.disabled = false
    }
  })
  keep.addEventListener('click', () => offer.remove())
  offer.append(h('p', {}, bring, ' ', keep), error)
  document.getElementById('main')?.before(offer)
}
