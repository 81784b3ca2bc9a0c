/** What an author does with an activity: save it (errors put on their fields), publish it, delete it. */
import { action, markProblemFields, UserError } from '../../../action.ts'
import { announce } from '../../../router.ts'
import { admin, read } from '../../api.ts'
import { confirmDelete } from '../skill/settings.ts'

export const TYPES = ['practice', 'quiz', 'test', 'challenge'] as const

type Editing = {
  activity: { id: string; name: string; status: 'draft' | 'published' }
  /** The details form: name, description, type. */
  form: HTMLFormElement
  /** The content as JSON, which the form keeps current. */
  json: HTMLTextAreaElement
}

export function activityActions({ activity, form, json }: Editing) {
  const activityId = activity.id
  const save = action('Save activity', async () => {
    const data = new FormData(form)
    let parsed: unknown
    try {
      parsed = JSON.parse(json.value)
    } catch {
      throw new UserError('The content is not valid JSON.')
    }
    try {
      await read(
        admin.activities[':activityId'].$patch({
          param: { activityId },
          json: {
            name: String(data.get('name')),
            description: String(data.get('description') ?? '') || null,
            type: String(data.get('type')) as (typeof TYPES)[number],
            content: parsed as never,
          },
        }),
      )
    } catch (failure) {
      markProblemFields(failure)
      throw failure
    }
    markProblemFields(null)
    announce('Activity saved.')
  })
  const publish = action(
    activity.status === 'draft' ? 'Publish activity' : 'Back to draft',
    async () => {
      const status = activity.status === 'draft' ? 'published' : 'draft'
      await read(admin.activities[':activityId'].$patch({ param: { activityId }, json: { status } }))
      // Said after the reload, where the badge shows it too: "Published: learners see it now."
      sessionStorage.setItem(
        'studio:announce',
        status === 'published'
          ? 'Published: learners see it now.'
          : 'Back to draft: learners no longer see it.',
      )
      location.reload()
    },
    'secondary',
  )
  const remove = action(
    'Delete activity…',
    async () => {
      if (!(await confirmDelete('activities', activityId, activity.name))) return
      await admin.activities[':activityId'].$delete({ param: { activityId } })
      history.back()
    },
    'secondary',
  )
  return { save, publish, remove }
}
