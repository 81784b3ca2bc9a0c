/**
 * A learner's journey through the page in Chromium: browse, answer, read the feedback, see the
 * progress; the session across reloads and its end; the cookie out of the page's reach.
 */
import { eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { connect } from '../scripts/lib/database.ts'
import { SEED_IDS, seedActivities, seedSkills } from '../scripts/seed.ts'
import type { ActivityContent } from '../src/content/schema.ts'
import { skillStates } from '../src/db/schema.ts'
import { expectedAnswer } from '../src/grading/grade.ts'
import { answerArithmetic, PHONE, snap, useChromium } from './browser.ts'

const base = inject('baseUrl')
const math = seedSkills[0] as (typeof seedSkills)[number]
const addition = seedActivities[0] as (typeof seedActivities)[number]
const quiz = seedActivities[1] as (typeof seedActivities)[number]
const science = seedSkills[1] as (typeof seedSkills)[number]
const scientificMethod = seedActivities[4] as (typeof seedActivities)[number]

const openPage = useChromium()

const heading = (page: Page, name: string | RegExp, level = 1) => page.getByRole('heading', { name, level })

/** The learner behind the page's cookie, as the API sees it (the request shares the context's cookies). */
async function learnerId(page: Page) {
  const res = await page.request.get('/v1/me')
  expect(res.status()).toBe(200)
  return ((await res.json()) as { id: string }).id
}

async function mySkill(page: Page, skillId: string) {
  const res = await page.request.get('/v1/me/skills')
  const { items } = (await res.json()) as {
    items: { skillId: string; masteryScore: number; progress: number }[]
  }
  const skill = items.find((item) => item.skillId === skillId)
  if (!skill) throw new Error(`no skill ${skillId}`)
  return skill
}

/** The right answer to every question, from the activity's answer key. */
const correctAnswers = (content: ActivityContent) =>
  Object.fromEntries(content.questions.map((question) => [question.id, expectedAnswer(question)]))

const percent = (share: number) => `${Math.round(share * 100)}%`

describe('the learner page', () => {
  it('takes a learner from the catalogue through an activity to their feedback and progress', async () => {
    const { context, page, errors } = await openPage()
    await page.goto('/')
    await heading(page, 'Skills').waitFor()
    await snap(page, '01-skills')

    await page.getByRole('link', { name: math.name }).click()
    await heading(page, math.name).waitFor()
    await expect(page.getByText('Not started').first().isVisible()).resolves.toBe(true)
    await snap(page, '02-skill')

    await page.getByRole('link', { name: addition.name }).click()
    await heading(page, addition.name).waitFor()
    // Its questions are parameterised: the page says every attempt brings new ones, and counts.
    await expect(page.locator('.credit').textContent()).resolves.toContain('New questions each time')
    await page.getByRole('button', { name: 'Start activity' }).click()
    // One wrong answer of three: 67%, under the 70% to pass.
    const first = await answerArithmetic(page, { wrong: [3] })
    expect(first).toHaveLength(3)
    const third = first[2] as (typeof first)[number]
    await snap(page, '03-answering')
    const submitted = page.waitForResponse((res) => res.url().endsWith('/submit'))
    await page.getByRole('button', { name: 'Submit answers' }).click()
    // The page carried its start's Submit-Token: the submit took one round trip.
    await expect((await submitted).headerValue('server-timing')).resolves.toBe('submit;desc="one_trip"')

    await heading(page, 'Not passed yet', 2).waitFor()
    await expect(page.locator('.score').textContent()).resolves.toBe('Score: 2 / 3')
    const wrong = page.locator('.feedback li.incorrect')
    await expect(wrong.count()).resolves.toBe(1)
    await expect(wrong.textContent()).resolves.toContain(`Your answer: ${third.answer}`)
    await expect(wrong.textContent()).resolves.toContain(`Expected: ${third.right}`)
    await expect(wrong.textContent()).resolves.toMatch(/\d and \d more is \d+: ten, and \d more\./)
    await expect(page.locator('.feedback li.correct').count()).resolves.toBe(2)
    // Focus follows the result, so keyboard and screen-reader users land on it.
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Not passed yet')
    await snap(page, '04-feedback-not-passed')
    const before = await mySkill(page, math.id as string)

    // The retake: every question is a new instance, every answer counts, and mastery moves.
    await page.getByRole('button', { name: 'Try again' }).click()
    const second = await answerArithmetic(page)
    expect(second.map((q) => q.prompt)).not.toEqual(first.map((q) => q.prompt))
    await page.getByRole('button', { name: 'Submit answers' }).click()
    await heading(page, 'Passed', 2).waitFor()
    await expect(page.locator('.score').textContent()).resolves.toBe('Score: 3 / 3')
    await expect(page.locator('.feedback li.correct').count()).resolves.toBe(3)
    await expect(page.locator('.feedback .credit').count()).resolves.toBe(0) // nothing "not counted"
    await expect(page.getByRole('status').textContent()).resolves.toBe('Scored 3 of 3. Passed.')
    const [from = 0, to = 0] =
      ((await page.locator('.knowledge-changes').textContent()) ?? '')
        .match(/Addition: (\d+)% → (\d+)%/)
        ?.slice(1)
        .map(Number) ?? []
    expect(to).toBeGreaterThan(from)
    await snap(page, '05-feedback-passed')

    // The page shows what the API holds for this learner.
    const state = await mySkill(page, math.id as string)
    expect(state.progress).toBe(0.25) // 1 of the skill's 4 activities passed
    expect(state.masteryScore).toBeGreaterThan(before.masteryScore)
    await page.getByRole('link', { name: 'See my progress' }).click()
    await heading(page, 'My progress').waitFor()
    const card = page.locator(`[data-skill="${math.id}"]`)
    await expect(
      card.getByRole('progressbar', { name: 'Mastery' }).getAttribute('aria-valuenow'),
    ).resolves.toBe(String(Math.round(state.masteryScore * 100)))
    await expect(card.textContent()).resolves.toContain(`Activities passed${percent(state.progress)}`)
    await expect(card.textContent()).resolves.toContain('In progress')
    await expect(page.getByRole('link', { name: 'My progress' }).getAttribute('aria-current')).resolves.toBe(
      'page',
    )
    await snap(page, '06-my-progress')
    expect(errors).toEqual([])
    await context.close()
  })

  it('keeps the learner across a reload, and starts a new one when the session is cleared', async () => {
    const { context, page, errors } = await openPage()
    await page.goto(`/#/activities/${addition.id}`)
    await page.getByRole('button', { name: 'Start activity' }).click()
    await answerArithmetic(page, { only: [1] })
    await page.getByRole('button', { name: 'Submit answers' }).click()
    await heading(page, 'Not passed yet', 2).waitFor()
    const learner = await learnerId(page)

    await page.goto('/#/progress')
    await page.reload()
    await heading(page, 'My progress').waitFor()
    expect(await learnerId(page)).toBe(learner)
    await expect(page.locator(`[data-skill="${math.id}"]`).textContent()).resolves.toContain('In progress')
    await snap(page, '07-after-reload')

    // "Start over": the session ends on the server too, so the old cookie is worth nothing.
    const [oldCookie] = await context.cookies()
    page.once('dialog', (dialog) => void dialog.accept())
    await page.getByRole('button', { name: 'Start over as a new learner' }).click()
    await expect.poll(() => page.getByRole('status').textContent()).toBe('You are a new learner now.')
    await page.goto('/#/progress')
    await page.getByText('Nothing yet.').waitFor()
    const second = await learnerId(page)
    expect(second).not.toBe(learner)
    const replay = await fetch(`${base}/v1/me`, {
      headers: { cookie: `${oldCookie?.name}=${oldCookie?.value}` },
    })
    expect(replay.status).toBe(401)
    await snap(page, '08-new-learner')

    // Cookies cleared while the page is open: the next view that needs a session starts a new one.
    expect(errors).toEqual([])
    await context.clearCookies()
    await page.getByRole('link', { name: 'Skills', exact: true }).click()
    await heading(page, 'Skills').waitFor()
    await page.getByRole('link', { name: 'My progress' }).click()
    await heading(page, 'My progress').waitFor()
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toBe('Your session had ended: you continue as a new learner.')
    const third = await learnerId(page)
    expect(third).not.toBe(second)
    // Chrome logs the two refused requests (401) of the skills view (up next, and the learner's
    // skills) that led to the new session; nothing else.
    expect(errors).toHaveLength(2)
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/status of 401 .*\/v1\/me\/next/),
        expect.stringMatching(/status of 401 .*\/v1\/me\/skills/),
      ]),
    )
    await context.close()
  })

  it('keeps the session cookie out of the page’s reach: HttpOnly, SameSite, host-only', async () => {
    const { context, page } = await openPage()
    await page.goto('/')
    await heading(page, 'Skills').waitFor()
    await expect(page.evaluate(() => document.cookie)).resolves.toBe('')
    const cookies = await context.cookies()
    expect(cookies).toHaveLength(1)
    expect(cookies[0]).toMatchObject({ name: 'sid', httpOnly: true, sameSite: 'Lax', path: '/' })
    // wrangler dev is plain http; over https the cookie is __Host-sid and Secure (test/sessions.test.ts).
    expect(cookies[0]?.domain).toBe('127.0.0.1')
    await context.close()
  })

  it('can be used with the keyboard alone, and moves focus to each new view', async () => {
    const { context, page, errors } = await openPage()
    await page.goto(`/#/activities/${quiz.id}`)
    await heading(page, quiz.name).waitFor()
    await page.getByRole('button', { name: 'Start activity' }).focus()
    await page.keyboard.press('Enter')
    // Focus lands on the first answer: q1's first choice. Arrow keys choose within a radio group.
    await page.getByRole('radio', { name: '21' }).waitFor()
    await page.keyboard.press('ArrowDown') // 12 + 9 = 21, the second choice
    await page.keyboard.press('Tab') // q2, first checkbox: 6 + 4
    await page.keyboard.press('Space')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab') // third checkbox: 7 + 3
    await page.keyboard.press('Space')
    await page.keyboard.press('Tab') // q3
    await page.keyboard.type('42')
    await snap(page, '09-keyboard-answers')
    await page.keyboard.press('Enter')
    await heading(page, 'Passed', 2).waitFor()
    await expect(page.locator('.score').textContent()).resolves.toBe('Score: 4 / 4')
    await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('H2')

    // Following a link by keyboard moves focus to the new page's heading.
    await page.getByRole('link', { name: 'See my progress' }).focus()
    await page.keyboard.press('Enter')
    await heading(page, 'My progress').waitFor()
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('My progress')
    expect(errors).toEqual([])
    await context.close()
  })

  it('fits a phone screen without sideways scrolling', async () => {
    const { context, page, errors } = await openPage({ viewport: PHONE })
    for (const [path, name, shot] of [
      ['/', 'Skills', '10-phone-skills'],
      [`/#/activities/${quiz.id}`, quiz.name, '11-phone-activity'],
      ['/#/progress', 'My progress', '12-phone-progress'],
    ] as const) {
      await page.goto(path)
      await heading(page, name).waitFor()
      if (path.includes('activities')) {
        await page.getByRole('button', { name: 'Start activity' }).click()
        await page.getByRole('button', { name: 'Submit answers' }).waitFor()
      }
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflow, `${path} scrolls sideways`).toBe(0)
      await snap(page, shot)
    }
    expect(errors).toEqual([])
    await context.close()
  })

  it('lists a mastered skill for review once its review falls due, with activities to practise', async () => {
    const { context, page, errors } = await openPage()
    await page.goto('/')
    await heading(page, 'Skills').waitFor()
    expect(scientificMethod.unitId).toBe(SEED_IDS.units.scientificMethod) // Science's only unit
    // Correct answers, through the API with the page's cookie, until the skill is mastered.
    let status = ''
    for (let round = 0; round < 8 && status !== 'mastered'; round++) {
      const attempt = await page.request.post(`/v1/activities/${scientificMethod.id}/attempts`)
      const { id } = (await attempt.json()) as { id: string }
      const submit = await page.request.post(`/v1/attempts/${id}/submit`, {
        data: { response: { answers: correctAnswers(scientificMethod.content as ActivityContent) } },
      })
      status = ((await submit.json()) as { skillState: { status: string } }).skillState.status
    }
    expect(status).toBe('mastered')
    await page.goto('/#/progress')
    await heading(page, 'My progress').waitFor()
    const card = page.locator(`[data-skill="${science.id}"]`)
    await expect(card.textContent()).resolves.toContain('Mastered')
    await page.getByText('Nothing is due.').waitFor()

    // Time passes: the FSRS card's due date, moved into the past in the database.
    const { db } = connect(inject('database'))
    await db
      .update(skillStates)
      .set({ due: new Date(Date.now() - 86_400_000) })
      .where(eq(skillStates.learnerId, await learnerId(page)))
    await page.reload()
    await heading(page, 'My progress').waitFor()
    await expect(card.textContent()).resolves.toContain('Review needed')
    const due = page.getByRole('region', { name: 'Due for review' }).getByRole('listitem').first()
    await expect(due.getByRole('heading', { level: 3 }).textContent()).resolves.toBe(science.name)
    await snap(page, '16-review-due')
    await due.getByRole('link', { name: scientificMethod.name }).click()
    await heading(page, scientificMethod.name).waitFor()
    expect(errors).toEqual([])
    await context.close()
  })

  it('says so when an address leads nowhere', async () => {
    const { context, page } = await openPage()
    await page.goto('/#/activities/00000000-0000-4000-8000-00000000dead')
    await heading(page, 'Not found').waitFor()
    await page.goto('/#/no/such/page')
    await heading(page, 'Not found').waitFor()
    await expect(page.getByRole('link', { name: 'Back to the skills' }).isVisible()).resolves.toBe(true)
    await context.close()
  })
})
