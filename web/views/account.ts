/**
 * "Your account": passkeys (keep your progress on other devices), the devices signed in, and the
 * learner's data to download. Every action re-renders the view from the API.
 */
import { api, describeError, once, read } from '../api.ts'
import { formatDate, formatDateTime, h, plural } from '../dom.ts'
import { createPasskey, describePasskeyError, passkeySupport } from '../passkeys.ts'
import { announce, render, type View } from '../router.ts'

/** Runs an action of this view, then shows the view again (or says what went wrong). */
async function act(action: () => Promise<unknown>, done: string) {
  try {
    await action()
  } catch (error) {
    announce(describePasskeyError(error) ?? describeError(error))
    alert(describePasskeyError(error) ?? describeError(error))
    return
  }
  await render({ focus: false })
  announce(done)
}

const supportNote = {
  none: 'This browser cannot use passkeys. Open this page in a current version of Chrome, Edge, Firefox or Safari to create one.',
  'other-devices':
    'This device has no built-in passkey support, but you can keep the passkey on your phone or a security key: the browser will offer that.',
  'this-device': null,
}

export const accountView: View = async () => {
  const [passkeys, devices, support] = await Promise.all([
    read(api.v1.me.passkeys.$get()),
    read(api.v1.me.sessions.$get()),
    passkeySupport(),
  ])
  const others = devices.items.filter((device) => !device.current)
  return {
    title: 'Your account',
    content: [
      h('h1', {}, 'Your account'),
      h(
        'section',
        { 'aria-labelledby': 'passkeys-heading' },
        h('h2', { id: 'passkeys-heading' }, 'Keep your progress on other devices'),
        passkeys.items.length === 0
          ? h(
              'p',
              {},
              'Your progress lives in a cookie on this device: clear it, or change devices, and it is out of reach. ' +
                'Create a passkey — your fingerprint, face or screen lock, no password — and sign in with it ' +
                'anywhere to carry on.',
            )
          : h('p', {}, 'Sign in with one of these passkeys on any device to carry on where you left off.'),
        supportNote[support] && h('p', { class: 'notice', role: 'note' }, supportNote[support]),
        passkeys.items.length > 0 &&
          h(
            'ul',
            { class: 'cards', 'aria-label': 'Your passkeys' },
            passkeys.items.map((passkey) =>
              h(
                'li',
                { class: 'card', 'data-passkey': passkey.id },
                h('h3', {}, passkey.name),
                h(
                  'p',
                  { class: 'meta' },
                  `Created ${formatDate(passkey.createdAt)}`,
                  passkey.lastUsedAt ? ` · last used ${formatDate(passkey.lastUsedAt)}` : ' · not used yet',
                  passkey.backedUp ? ' · synced by your passkey provider' : '',
                ),
                h(
                  'p',
                  { class: 'actions' },
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'secondary',
                      onclick: () => {
                        const name = prompt('A new name for this passkey', passkey.name)?.trim()
                        if (!name) return
                        void act(
                          () =>
                            read(
                              api.v1.me.passkeys[':passkeyId'].$patch({
                                param: { passkeyId: passkey.id },
                                header: once(),
                                json: { name },
                              }),
                            ),
                          'Passkey renamed.',
                        )
                      },
                    },
                    'Rename',
                  ),
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'secondary',
                      onclick: () => {
                        if (!confirm(`Remove “${passkey.name}”? It will no longer sign you in here.`)) return
                        void act(
                          () =>
                            read(
                              api.v1.me.passkeys[':passkeyId'].$delete({
                                param: { passkeyId: passkey.id },
                                header: once(),
                              }),
                            ),
                          'Passkey removed. Remove it from your device’s passkey manager too.',
                        )
                      },
                    },
                    'Remove',
                  ),
                ),
              ),
            ),
          ),
        h(
          'button',
          {
            type: 'button',
            class: 'primary',
            id: 'create-passkey',
            disabled: support === 'none',
            onclick: () => void act(createPasskey, 'Passkey created: sign in with it on any device.'),
          },
          passkeys.items.length === 0 ? 'Create a passkey' : 'Add another passkey',
        ),
      ),
      h(
        'section',
        { 'aria-labelledby': 'devices-heading' },
        h('h2', { id: 'devices-heading' }, 'Your devices'),
        h(
          'ul',
          { class: 'cards', 'aria-label': 'Devices signed in' },
          devices.items.map((device) =>
            h(
              'li',
              { class: 'card', 'data-device': device.id },
              h('h3', {}, device.label, device.current && h('span', { class: 'badge' }, 'This device')),
              h(
                'p',
                { class: 'meta' },
                `Signed in ${formatDate(device.createdAt)} · last used ${formatDateTime(device.lastUsedAt)}`,
              ),
              !device.current &&
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    onclick: () =>
                      void act(
                        () =>
                          read(
                            api.v1.me.sessions[':sessionId'].$delete({
                              param: { sessionId: device.id },
                              header: once(),
                            }),
                          ),
                        `${device.label} is signed out.`,
                      ),
                  },
                  `Sign out ${device.label}`,
                ),
            ),
          ),
        ),
        others.length > 0 &&
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () => {
                if (!confirm(`Sign out ${plural(others.length, 'other device')}?`)) return
                void act(
                  () => read(api.v1.me.sessions.$delete({ header: once() })),
                  'Every other device is signed out.',
                )
              },
            },
            'Sign out all other devices',
          ),
      ),
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
