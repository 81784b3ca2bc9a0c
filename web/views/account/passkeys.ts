/** Passkeys: what keeps the learner's progress on other devices; created, renamed and removed here. */
import type { InferResponseType } from 'hono/client'
import { api, once, read } from '../../api.ts'
import { formatDate, h } from '../../dom.ts'
import { createPasskey, type passkeySupport } from '../../passkeys.ts'
import { act } from './act.ts'

type Passkeys = InferResponseType<typeof api.v1.me.passkeys.$get, 200>
type Support = Awaited<ReturnType<typeof passkeySupport>>

const supportNote = {
  none: 'This browser cannot use passkeys. Open this page in a current version of Chrome, Edge, Firefox or Safari to create one.',
  'other-devices':
    'This device has no built-in passkey support, but you can keep the passkey on your phone or a security key: the browser will offer that.',
  'this-device': null,
}

export function passkeysSection(passkeys: Passkeys, support: Support) {
  return h(
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
  )
}
