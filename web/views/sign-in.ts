/**
 * "Sign in with a passkey": on a new device, or to switch this device to your own learner. When
 * this device has anonymous progress that may be merged, the learner chooses whether to bring it.
 */
import { describeError, rememberSession } from '../api.ts'
import { formatDateTime, h, plural } from '../dom.ts'
import { describePasskeyError, passkeySupport, signInOptions, signInWithPasskey } from '../passkeys.ts'
import { announce, type View } from '../router.ts'

/**
 * Progress older than this is offered to merge unticked: on a shared family or school computer,
 * yesterday's anonymous progress is likely someone else's, and a merge cannot be undone.
 */
const RECENT_MS = 12 * 3_600_000

export const signInView: View = async () => {
  const [options, support] = await Promise.all([signInOptions(), passkeySupport()])
  const { merge } = options
  const progress = merge && merge.attempts > 0
  const recent =
    merge?.lastActivityAt != null && Date.now() - new Date(merge.lastActivityAt).getTime() < RECENT_MS
  const bring = h('input', { type: 'radio', name: 'merge', value: 'yes', id: 'merge-yes', checked: recent })
  const choice =
    progress && merge.allowed
      ? h(
          'fieldset',
          { class: 'choice' },
          h(
            'legend',
            {},
            `This device has progress: ${plural(merge.attempts, 'attempt')} in ${plural(merge.skills, 'skill')}`,
            merge.lastActivityAt ? `, last worked on ${formatDateTime(merge.lastActivityAt)}.` : '.',
          ),
          !recent &&
            h(
              'p',
              { class: 'hint' },
              'Not from today: if it is not yours (a shared computer), leave it here.',
            ),
          h('p', {}, bring, ' ', h('label', { for: 'merge-yes' }, 'Bring it into my account')),
          h(
            'p',
            {},
            h('input', { type: 'radio', name: 'merge', value: 'no', id: 'merge-no', checked: !recent }),
            ' ',
            h('label', { for: 'merge-no' }, 'Leave it here (it stays with this device’s anonymous learner)'),
          ),
        )
      : progress &&
        h(
          'p',
          { class: 'notice', role: 'note' },
          merge.reason === 'has_passkey'
            ? 'The progress on this device belongs to a learner with a passkey of their own: it stays with them.'
            : 'The progress on this device is also signed in on another device: it stays where it is.',
        )
  const result = h('p', { role: 'alert', class: 'error' })
  const button = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      id: 'sign-in-passkey',
      disabled: support === 'none',
      onclick: async () => {
        button.disabled = true
        result.textContent = ''
        try {
          // Fresh options: a challenge is good for five minutes, and the page may have been open longer.
          const signedIn = await signInWithPasskey(
            await signInOptions(),
            Boolean(progress && merge.allowed && bring.checked),
          )
          rememberSession()
          location.hash = '#/progress'
          announce(
            signedIn.merged
              ? `Signed in. ${plural(signedIn.merged.attempts, 'attempt')} from this device are now in your account.`
              : 'Signed in.',
          )
        } catch (error) {
          result.textContent = describePasskeyError(error) ?? describeError(error)
          button.disabled = false
        }
      },
    },
    'Sign in with a passkey',
  )
  return {
    title: 'Sign in with a passkey',
    content: [
      h('h1', {}, 'Sign in with a passkey'),
      h(
        'p',
        { class: 'lead' },
        'Created a passkey on another device? Use it here to carry on with your progress. Your phone may show a ' +
          'QR code to scan.',
      ),
      support === 'none' &&
        h(
          'p',
          { class: 'notice', role: 'note' },
          'This browser cannot use passkeys. Open this page in a current version of Chrome, Edge, Firefox or Safari.',
        ),
      choice,
      button,
      result,
    ],
  }
}
