/** The devices the learner is signed in on: each signed out from here, or every other one at once. */
import type { InferResponseType } from 'hono/client'
import { api, once, read } from '../../api.ts'
import { formatDate, formatDateTime, h, plural } from '../../dom.ts'
import { act } from './act.ts'

type Devices = InferResponseType<typeof api.v1.me.sessions.$get, 200>

export function devicesSection(devices: Devices) {
  const others = devices.items.filter((device) => !device.current)
  return h(
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
  )
}
