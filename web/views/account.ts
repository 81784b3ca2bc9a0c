/**
 * "Your account": passkeys (keep your progress on other devices), the devices signed in, the
 * classes joined, and the learner's data to download. Every action re-renders the view from the API.
 */
import { api, read } from '../api.ts'
import { h } from '../dom.ts'
import { passkeySupport } from '../passkeys.ts'
import type { View } from '../router.ts'
import { classesSection } from './account/classes.ts'
import { devicesSection } from './account/devices.ts'
import { passkeysSection } from './account/passkeys.ts'

export const accountView: View = async () => {
  const [passkeys, devices, classes, support] = await Promise.all([
    read(api.v1.me.passkeys.$get()),
    read(api.v1.me.sessions.$get()),
    read(api.v1.me.classes.$get()),
    passkeySupport(),
  ])
  return {
    title: 'Your account',
    content: [
      h('h1', {}, 'Your account'),
      passkeysSection(passkeys, support),
      devicesSection(devices),
      classesSection(classes),
      h(
        'section',
        { 'aria-labelledby': 'data-heading' },
        h('h2', { id: 'data-heading' }, 'Your data'),
        h(
          'p',
          {},
          'Everything stored about you — devices, passkeys (never their keys), every answer and its feedback, your ' +
            'skills — as one JSON file. ',
          h('a', { href: '/v1/me/export', download: '', id: 'export' }, 'Download my data'),
        ),
      ),
    ],
  }
}
