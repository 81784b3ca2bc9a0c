/**
 * An author's journey through the studio in Chromium: sign in, write a skill with two units and an
 * activity of all four question kinds, preview and publish it, reorder by keyboard; a learner then
 * answers it on the learner page, and the studio's dashboard counts that attempt. Text from the
 * database never runs as markup.
 */
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ADMIN_TOKEN } from '../scripts/lib/stack.ts'
import { SEED_IDS, seedSkills } from '../scripts/seed.ts'
import { answerArithmetic, snap, useChromium } from './browser.ts'

const math = seedSkills[0] as (typeof seedSkills)[number]

const openPage = useChromium()

const heading = (page: Page, name: string | RegExp, level = 1) => page.getByRole('heading', { name, level })

const content = {
  passingScore: 0.5,
  questions: [
    {
      id: 'tide',
      kind: 'single_choice',
      prompt: 'What moves the tides?',
      choices: [
        { id: 'moon', text: 'The Moon' },
        { id: 'wind', text: 'The wind' },
      ],
      answer: 'moon',
    },
    {
      id: 'shore',
      kind: 'multiple_choice',
      prompt: 'Which live on rocky shores?',
      choices: [
        { id: 'barnacle', text: 'Barnacles' },
        { id: 'camel', text: 'Camels' },
        { id: 'limpet', text: 'Limpets' },
      ],
      answers: ['barnacle', 'limpet'],
    },
    { id: 'tides', kind: 'numeric', prompt: 'How many high tides a day, usually?', answer: 2, tolerance: 0 },
    {
      id: 'word',
      kind: 'short_text',
      prompt: 'The zone between tides is the … zone',
      acceptedAnswers: ['intertidal'],
    },
  ],
}

async function signIn(page: Page) {
  await page.goto('/studio/')
  await heading(page, 'Sign in to the studio').waitFor()
  await page.getByLabel('Author token').fill(ADMIN_TOKEN)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await heading(page, 'Catalogue').waitFor()
}

describe('the studio', () => {
  it('shows only the sign-in form without a valid token, and keeps the token out of storage that lasts', async () => {
    const { context, page, errors } = await openPage()
    await page.goto('/studio/')
    await heading(page, 'Sign in to the studio').waitFor()
    await expect(page.getByRole('navigation', { name: 'Studio' }).isVisible()).resolves.toBe(false)
    await page.getByLabel('Author token').fill('not-the-token')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('This token was not accepted.').waitFor()
    await snap(page, 'studio-01-sign-in')
    await page.getByLabel('Author token').fill(ADMIN_TOKEN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await heading(page, 'Catalogue').waitFor()
    const stored = await page.evaluate(() => ({
      local: JSON.stringify(localStorage),
      session: JSON.stringify(sessionStorage),
      url: location.href,
    }))
    expect(stored.local).not.toContain(ADMIN_TOKEN)
    expect(stored.url).not.toContain(ADMIN_TOKEN)
    expect(stored.session).toContain(ADMIN_TOKEN)
    // 401s for the wrong token are the page's business, not errors.
    expect(errors.filter((error) => !error.includes('401'))).toEqual([])
    await context.close()
  })

  it('takes an author from a new skill to a published activity a learner answers, and counts it', async () => {
    const { context, page, errors } = await openPage()
    await signIn(page)
    await page.getByLabel('Name', { exact: true }).fill('Tidal ecology')
    await page.getByRole('button', { name: 'Create skill (draft)' }).click()
    await heading(page, /Tidal ecology/).waitFor()
    for (const name of ['Rock pools', 'Open water']) {
      await page.getByLabel('Unit name').fill(name)
      await page.getByRole('button', { name: 'Add unit' }).click()
      await page.getByRole('heading', { name, level: 3 }).waitFor()
    }
    await page.getByLabel('Activity name').fill('Shore quiz')
    await page.getByRole('button', { name: 'Add activity (draft)' }).click()
    await heading(page, /Shore quiz/).waitFor()

    // The form per question kind edits the preview as it types.
    const preview = page.locator('.preview')
    await page.getByLabel('Prompt').first().fill('Is this the first question?')
    await preview.getByText('1. Is this the first question?').waitFor()
    await page.getByLabel('New question of kind').selectOption('numeric')
    await page.getByRole('button', { name: 'Add question' }).click()
    await expect(
      page.getByRole('group', { name: 'Question 2: Number (with tolerance)' }).isVisible(),
    ).resolves.toBe(true)
    await expect(preview.locator('.question').count()).resolves.toBe(2)
    // The same content as JSON, previewed by the learner page's own question view.
    await page.getByText('Content as JSON').click()
    await page.getByLabel('Content (JSON)').fill(JSON.stringify(content, null, 2))
    await expect(preview.locator('.question').count()).resolves.toBe(4)
    await expect(preview.getByLabel('The Moon').isVisible()).resolves.toBe(true)
    await expect(page.getByRole('group', { name: 'Question 4: Short text' }).isVisible()).resolves.toBe(true)
    await page.getByRole('button', { name: 'Save activity' }).click()
    await page.getByRole('status').filter({ hasText: 'Activity saved.' }).waitFor()
    await snap(page, 'studio-02-editor')

    // A validation error is said in words beside its field, which is marked and focused.
    await page
      .getByLabel('Content (JSON)')
      .fill(JSON.stringify({ passingScore: 2, questions: [{ id: 'x', kind: 'numeric', prompt: 'p' }] }))
    await page.getByRole('button', { name: 'Save activity' }).click()
    await page.locator('.field-error').first().waitFor()
    const passing = page.getByLabel('Passing score (0–1)')
    await expect(passing.getAttribute('aria-invalid')).resolves.toBe('true')
    const describedBy = (await passing.getAttribute('aria-describedby')) ?? ''
    await expect(page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).textContent()).resolves.toBe(
      'Must be at most 1.',
    )
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-pointer'))).resolves.toBe(
      '/content/passingScore',
    )
    await expect(page.getByLabel('Answer', { exact: true }).getAttribute('aria-invalid')).resolves.toBe(
      'true',
    )
    // The summary by the button names fields by their labels, not by pointers.
    const summary = page.locator('.actions .error').filter({ hasText: 'invalid' })
    await expect(summary.textContent()).resolves.toContain('Passing score (0–1): Must be at most 1.')
    await expect(summary.textContent()).resolves.not.toContain('#/content')
    await page.getByLabel('Content (JSON)').fill(JSON.stringify(content, null, 2))
    await page.getByRole('button', { name: 'Save activity' }).click()
    await page.getByRole('status').filter({ hasText: 'Activity saved.' }).waitFor()
    await page.getByRole('button', { name: 'Publish activity' }).click()
    await heading(page, /Shore quiz\s*Published/).waitFor()
    await page.getByRole('status').filter({ hasText: 'Published: learners see it now.' }).waitFor()
    // Where it is: Catalogue / its skill / its unit / the activity.
    await expect(page.locator('.crumbs').textContent()).resolves.toBe(
      'Catalogue / Tidal ecology / Rock pools / Shore quiz',
    )
    const activityId = new URL(page.url()).hash.split('/')[2] as string

    // Back to the skill: reorder by keyboard, save in one request, publish the skill.
    await page.goto('/studio/')
    await page.getByRole('link', { name: 'Tidal ecology' }).click()
    await heading(page, /Tidal ecology/).waitFor()
    await page.getByRole('button', { name: 'Move unit “Open water” up' }).focus()
    await page.keyboard.press('Enter')
    await expect(page.locator('.structure .unit h3').first().textContent()).resolves.toContain('Open water')
    // At the top its up button is disabled: the focus stays on the unit, on its other button.
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe(
      'Move unit “Open water” down',
    )
    await page.getByRole('button', { name: 'Save the order' }).click()
    await page.getByRole('status').filter({ hasText: 'Order saved.' }).waitFor()
    await page.getByRole('button', { name: 'Publish skill' }).click()
    await heading(page, /Tidal ecology\s*Published/).waitFor()
    await snap(page, 'studio-03-skill')
    // It builds on the seed's first skill: a prerequisite, shown to learners.
    await page.getByLabel('Skill to require first').selectOption({ label: math.name })
    await page.getByRole('button', { name: 'Require this skill first' }).click()
    await page.getByRole('button', { name: `Stop requiring “${math.name}”` }).waitFor()
    await page.getByText('Rename or delete “Rock pools”').click()
    await page.getByLabel('New name for “Rock pools”').fill('Rock pools and shore')
    await page.getByRole('button', { name: 'Rename unit' }).last().click()
    await page.getByRole('heading', { name: /Rock pools and shore/, level: 3 }).waitFor()
    const skillId = new URL(page.url()).hash.split('/')[2] as string
    const tree = (await (await page.request.get(`/v1/skills/${skillId}`)).json()) as {
      units: { name: string }[]
      prerequisites: { id: string }[]
    }
    expect(tree.units.map((unit) => unit.name)).toEqual(['Open water', 'Rock pools and shore'])
    expect(tree.prerequisites.map((skill) => skill.id)).toEqual([math.id])

    // A learner answers it on the learner page.
    const learner = await openPage()
    await learner.page.goto(`/#/activities/${activityId}`)
    await heading(learner.page, 'Shore quiz').waitFor()
    await learner.page.getByRole('button', { name: 'Start activity' }).click()
    await learner.page.getByLabel('The wind').check()
    await learner.page.getByLabel('Barnacles').check()
    await learner.page.getByLabel('Limpets').check()
    await learner.page.getByLabel(/high tides/).fill('2')
    await learner.page.getByLabel(/zone between tides/).fill('intertidal')
    await learner.page.getByRole('button', { name: 'Submit answers' }).click()
    await heading(learner.page, 'Passed', 2).waitFor()
    await learner.context.close()

    // The dashboard is the cron's aggregates, up to ten minutes behind: "Refresh now" folds the attempt
    // in, and the dashboard counts it and the distractor it picked.
    await page.goto(`/studio/#/activities/${activityId}/analytics`)
    await heading(page, 'Shore quiz: dashboard').waitFor()
    await page.getByText('0 completed attempts on version').waitFor()
    await page.getByRole('button', { name: 'Refresh now' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: /^Up to date: \d+ attempt changes? folded in\.$/ })
      .waitFor()
    await page.getByText('1 completed attempt on version').waitFor()
    const distractors = page.getByRole('table', { name: /Distractors: What moves the tides/ })
    await expect(distractors.getByRole('row', { name: /The wind/ }).textContent()).resolves.toMatch(/No\s*1/)
    await snap(page, 'studio-04-dashboard')
    // The one failed request is the invalid content refused on purpose above.
    expect(errors).toEqual([expect.stringContaining('status of 400')])
    await context.close()
  })

  it('writes a parameterised question: checked as the author types, previewed with answers, drawn anew per attempt', async () => {
    const { context, page, errors } = await openPage()
    const headers = { Authorization: `Bearer ${ADMIN_TOKEN}` }
    const post = async (path: string, data: object) =>
      (await page.request.post(path, { headers, data })).json()
    const skill = await post('/v1/admin/skills', { name: 'Doubling', status: 'published' })
    const unit = await post('/v1/admin/units', { skillId: skill.id, name: 'Doubles' })
    const fixed = { id: 'double', kind: 'numeric', prompt: 'What is 4 + 4?', answer: 8 }
    const activity = await post('/v1/admin/activities', {
      unitId: unit.id,
      name: 'Doubles practice',
      content: { questions: [fixed] },
    })
    await signIn(page)
    await page.goto(`/studio/#/activities/${activity.id}`)
    await heading(page, /Doubles practice/).waitFor()

    // A placeholder naming no variable is refused next to the prompt, before any save.
    await page.getByLabel('Variables (one per line; leave empty for a fixed question)').fill('a = 2 to 9')
    await page.getByLabel('Prompt').fill('What is {a} + {b}?')
    const prompt = page.locator('.field').filter({ has: page.getByLabel('Prompt') })
    await expect(prompt.locator('.field-problem').textContent()).resolves.toBe(
      '“{b}” names no declared variable.',
    )
    await expect(page.getByLabel('Prompt').getAttribute('aria-invalid')).resolves.toBe('true')
    await page.getByLabel('Prompt').fill('What is {a} + {a}?')
    await page.getByLabel('Answer', { exact: true }).fill('2 * a')
    // Constraints nothing satisfies: said beside the constraints.
    await page.getByLabel('Constraints (one per line)').fill('a > 20')
    const constraints = page.locator('.field').filter({ has: page.getByLabel('Constraints (one per line)') })
    await expect(constraints.locator('.field-problem').textContent()).resolves.toBe(
      'No combination of values satisfies the constraints.',
    )
    await page.getByLabel('Constraints (one per line)').fill('a != 5')
    await expect(page.locator('.field-problem').count()).resolves.toBe(0)
    // Three sample instances with their answers, for the author.
    const samples = page.locator('.sample-instances li')
    await expect(samples.count()).resolves.toBe(3)
    for (const sample of await samples.allTextContents()) {
      const [, a, sum] = /^What is (\d) \+ \1\? → (\d+)$/.exec(sample) ?? []
      expect(Number(sum), sample).toBe(2 * Number(a))
      expect(a).not.toBe('5')
    }
    await snap(page, 'studio-05-parameterised')
    await page.getByRole('button', { name: 'Save activity' }).click()
    await page.getByRole('status').filter({ hasText: 'Activity saved.' }).waitFor()
    const saved = await (await page.request.get(`/v1/admin/activities/${activity.id}`, { headers })).json()
    expect(saved.content.questions[0]).toMatchObject({
      prompt: 'What is {a} + {a}?',
      variables: { a: { min: 2, max: 9, step: 1 } },
      constraints: ['a != 5'],
      answer: '2 * a',
    })
    expect(errors).toEqual([])
    await context.close()
  })

  it('imports a teacher’s GIFT file into a unit: checked, reported in words, created as a draft, exported again', async () => {
    const { context, page, errors } = await openPage()
    const headers = { Authorization: `Bearer ${ADMIN_TOKEN}` }
    const post = async (path: string, data: object) =>
      (await page.request.post(path, { headers, data })).json()
    const skill = await post('/v1/admin/skills', { name: 'Fractions', status: 'published' })
    await post('/v1/admin/units', { skillId: skill.id, name: 'Halves' })
    const gift = [
      '$CATEGORY: $course$/top/Halving',
      '',
      '::half-of-8::What is half of 8? {=4 #Yes: 8 shared by 2. ~2 #That is a quarter of 8. ~16 #That is double.}',
      '',
      '::half-word::Half of a whole is one … {=half =halve}',
      '',
      '::explain::Explain why halves are equal. {}',
    ].join('\n')
    await signIn(page)
    await page.goto(`/studio/#/skills/${skill.id}`)
    await page.getByText('Import questions into “Halves”…').click()
    await page
      .getByLabel('Question file for “Halves”')
      .setInputFiles({ name: 'halves.gift', mimeType: 'text/plain', buffer: Buffer.from(gift) })
    await expect.poll(() => page.getByLabel('Its format').inputValue()).toBe('gift')
    await page.getByRole('button', { name: 'Check the file' }).click()
    const report = page.locator('.import-report')
    await expect(report.locator('.import-summary').textContent()).resolves.toBe(
      '2 questions can be imported into 1 draft activity: “Halving” (2 questions).',
    )
    await expect(report.locator('.import-skipped').textContent()).resolves.toBe(
      'Line 7: an essay question (no answers to grade)',
    )
    await snap(page, 'studio-07-import-report')
    await page.getByRole('button', { name: 'Create the draft activity' }).click()
    await heading(page, /Halving/).waitFor()
    await expect(page.getByText('Draft: learners do not see it').isVisible()).resolves.toBe(true)
    await expect(page.getByRole('status').textContent()).resolves.toBe(
      'Imported 2 questions into 1 draft activity.',
    )
    // In the editor: the choices' feedback came with them.
    const activityId = new URL(page.url()).hash.split('/')[2] as string
    const saved = await (await page.request.get(`/v1/admin/activities/${activityId}`, { headers })).json()
    expect(saved.content.questions.map((q: { id: string }) => q.id)).toEqual(['half-of-8', 'half-word'])
    expect(saved.content.questions[0].choices[1]).toEqual({
      id: 'b',
      text: '2',
      feedback: 'That is a quarter of 8.',
    })

    // Exported again as GIFT: a file that carries the same questions.
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export as GIFT' }).click()
    const file = await download
    expect(file.suggestedFilename()).toBe('halving.gift.txt')
    const exported = await readFile((await file.path()) as string, 'utf8')
    expect(exported).toContain('::half-of-8::What is half of 8? {')
    expect(exported).toContain('~2 #That is a quarter of 8.')
    await page.getByRole('status').filter({ hasText: 'Exported as GIFT.' }).waitFor()

    // Published, the learner who picks a wrong choice reads what the teacher wrote for it.
    await page.getByRole('button', { name: 'Publish activity' }).click()
    await page.getByRole('status').filter({ hasText: 'Published' }).waitFor()
    await page.goto(`/#/activities/${activityId}`)
    await heading(page, 'Halving').waitFor()
    await page.getByRole('button', { name: 'Start activity' }).click()
    await page.getByRole('radio', { name: '2', exact: true }).check()
    await page.getByLabel('Half of a whole is one …').fill('half')
    await page.getByRole('button', { name: 'Submit answers' }).click()
    await heading(page, /Passed|Not passed yet/, 2).waitFor()
    await expect(page.locator('.feedback .choice-feedback').textContent()).resolves.toBe(
      '2: That is a quarter of 8.',
    )
    expect(errors).toEqual([])
    await context.close()
  })

  it('registers an LMS platform from the form, with the URLs to give the LMS, and shows it live', async () => {
    const { context, page, errors } = await openPage()
    await signIn(page)
    await page.getByRole('link', { name: 'LMS' }).click()
    await heading(page, 'LMS platforms').waitFor()
    await expect(page.locator('.tool-urls').textContent()).resolves.toContain('/lti/launch')
    // A URL that is not one is said beside its field, in words.
    const fill = async (label: string, value: string) => page.getByLabel(label).fill(value)
    await fill('Name (for you: “Moodle, Year 7”)', 'Moodle, Year 7')
    await fill('Issuer (the platform’s site URL)', 'not a url')
    await fill('Client id the platform gave this tool', 'client-7')
    await fill('Deployment ids, comma-separated', '1, 2')
    await fill('Authentication request URL', 'https://moodle.school.example/mod/lti/auth.php')
    await fill('Access token URL', 'https://moodle.school.example/mod/lti/token.php')
    await fill('Public keyset URL', 'https://moodle.school.example/mod/lti/certs.php')
    await page.getByRole('button', { name: 'Register platform' }).click()
    const issuer = page.locator('.field').filter({ has: page.getByLabel('Issuer (the platform’s site URL)') })
    await expect(issuer.locator('.field-error').first().textContent()).resolves.toMatch(/URL/)
    await fill('Issuer (the platform’s site URL)', 'https://moodle.school.example')
    await page.getByRole('button', { name: 'Register platform' }).click()
    const card = page.locator('.card').filter({ hasText: 'Moodle, Year 7' })
    await card.waitFor()
    await expect(card.textContent()).resolves.toContain('Live')
    await expect(card.textContent()).resolves.toContain('deployments 1, 2')
    // The one refused request is the bad issuer's (a browser logs every 400).
    expect(errors).toEqual([expect.stringContaining('status of 400 (Bad Request) (http://127.0.0.1')])
    await context.close()
  })

  it('a teacher’s class: created in the studio, joined on the learner page, shown by the class filter', async () => {
    const teacher = await openPage()
    await signIn(teacher.page)
    await teacher.page.goto('/studio/#/classes')
    await heading(teacher.page, 'Classes').waitFor()
    await teacher.page.getByLabel('Class name').fill('Year 4 maths')
    await teacher.page.getByRole('button', { name: 'Create class' }).click()
    const card = teacher.page.locator('.card').filter({ hasText: 'Year 4 maths' })
    const code = (await card.locator('code').textContent()) ?? ''
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/)

    const learner = await openPage()
    await learner.page.goto('/#/account')
    await learner.page.getByRole('heading', { name: 'Your classes', level: 2 }).waitFor()
    // A wrong code is said beside the field, which keeps what was typed.
    await learner.page.getByLabel('Class code').fill('WRONG-CODE')
    await learner.page.getByRole('button', { name: 'Join class' }).click()
    await learner.page.locator('#class-code-error').filter({ hasText: /\w/ }).waitFor()
    await expect(learner.page.getByLabel('Class code').getAttribute('aria-invalid')).resolves.toBe('true')
    // Codes are read in any case, with a dash.
    await learner.page.getByLabel('Class code').fill(`${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`)
    await learner.page.getByRole('button', { name: 'Join class' }).click()
    await learner.page.getByRole('heading', { name: 'Year 4 maths', level: 3 }).waitFor()
    await snap(learner.page, '40-joined-class')
    await learner.page.goto(`/#/activities/${SEED_IDS.activities.addition}`)
    await learner.page.getByRole('button', { name: 'Start activity' }).click()
    await answerArithmetic(learner.page)
    await learner.page.getByRole('button', { name: 'Submit answers' }).click()
    await learner.page.getByRole('heading', { name: 'Passed', level: 2 }).waitFor()

    await teacher.page.goto(`/studio/#/activities/${SEED_IDS.activities.addition}/analytics`)
    await teacher.page.getByLabel('Learners').selectOption({ label: 'Year 4 maths' })
    await teacher.page.getByText('This class, computed from its learners’ attempts now.').waitFor()
    await expect(teacher.page.getByText(/^1 completed attempt on version \d+\.$/).isVisible()).resolves.toBe(
      true,
    )
    // And leaving takes the learner out of it.
    learner.page.once('dialog', (dialog) => void dialog.accept())
    await learner.page.goto('/#/account')
    await learner.page.getByRole('button', { name: 'Leave Year 4 maths' }).click()
    await learner.page.getByText('You are in no class yet.').waitFor()
    // The wrong code's 404 is the page's business (said beside the field), not an error.
    const unexpected = learner.errors.filter((error) => !/status of 404 .*\/v1\/me\/classes\)$/.test(error))
    expect([...teacher.errors, ...unexpected]).toEqual([])
    await teacher.context.close()
    await learner.context.close()
  })

  it('shows text from the database as text: markup in every field runs nothing', async () => {
    const { context, page, errors } = await openPage()
    const evil = '<img src=x onerror="window.__xss=1">'
    const headers = { Authorization: `Bearer ${ADMIN_TOKEN}` }
    const skill = await (
      await page.request.post('/v1/admin/skills', { headers, data: { name: evil, description: evil } })
    ).json()
    const unit = await (
      await page.request.post('/v1/admin/units', { headers, data: { skillId: skill.id, name: evil } })
    ).json()
    const activity = await (
      await page.request.post('/v1/admin/activities', {
        headers,
        data: {
          unitId: unit.id,
          name: evil,
          description: evil,
          content: {
            instructions: evil,
            questions: [
              {
                id: 'q',
                kind: 'single_choice',
                prompt: evil,
                choices: [
                  { id: 'a', text: evil },
                  { id: 'b', text: evil },
                ],
                answer: 'a',
                explanation: evil,
              },
            ],
          },
        },
      })
    ).json()
    await signIn(page)
    for (const hash of [
      '#/',
      `#/skills/${skill.id}`,
      `#/activities/${activity.id}`,
      `#/activities/${activity.id}/analytics`,
    ]) {
      await page.goto(`/studio/${hash}`)
      await expect
        .poll(() => page.locator('h1').textContent(), { message: hash })
        .toContain(hash === '#/' ? 'Catalogue' : evil)
      await expect(page.locator('img[src="x"]').count(), hash).resolves.toBe(0)
    }
    await expect(page.evaluate(() => (window as { __xss?: number }).__xss)).resolves.toBeUndefined()
    await expect(page.getByText(evil).first().isVisible()).resolves.toBe(true)
    expect(errors).toEqual([])
    await context.close()
  })
})
