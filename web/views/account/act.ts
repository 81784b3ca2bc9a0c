import { describeError } from '../../api.ts'
import { describePasskeyError } from '../../passkeys.ts'
import { announce, render } from '../../router.ts'

/** Runs an action of this view, then shows the view again (or says what went wrong). */
export async function act(action: () => Promise<unknown>, done: string) {
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
