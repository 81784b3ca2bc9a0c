/** Classes: authors create them with a join code; learners join, list and leave them, anonymously. */
import { describe, expect, it } from 'vitest'
import { classMembers } from '../src/db/schema.ts'
import { countRoundTrips, expectProblem, json, newLearner, send, testDb } from './helpers.ts'

const db = testDb()

type AdminClass = { id: string; name: string; joinCode: string; members: number; createdBy: string | null }
type MyClass = { id: string; name: string; joinedAt: string }

const createClass = async (name: string) =>
  json<AdminClass>(await send('POST', '/v1/admin/classes', { admin: true, body: { name } }), 201)
const join = (cookie: string, code: string) => send('POST', '/v1/me/classes', { cookie, body: { code } })

describe('classes', () => {
  it('are created with a join code of eight characters without look-alikes, by a named author', async () => {
    const codes = new Set<string>()
    for (let i = 0; i < 20; i++) {
      const created = await createClass(`Class ${i}`)
      expect(created.joinCode).toMatch(/^[A-HJ-NP-Z2-9]{8}$/)
      expect(created).toMatchObject({ members: 0, createdBy: 'ada' })
      codes.add(created.joinCode)
    }
    expect(codes.size).toBe(20)
  })

  it('are joined with the code in any case and spacing, once, in one round trip; counted, never listed', async () => {
    const year4 = await createClass('Year 4')
    const { cookie } = await newLearner()
    const typed = `${year4.joinCode.slice(0, 4).toLowerCase()}-${year4.joinCode.slice(4)} `
    const { result, roundTrips } = await countRoundTrips(() => join(cookie, typed))
    expect(roundTrips).toBe(1)
    expect(await json<MyClass>(result, 201)).toMatchObject({ id: year4.id, name: 'Year 4' })
    expect(await json<MyClass>(await join(cookie, year4.joinCode), 200)).toMatchObject({ id: year4.id })
    await join((await newLearner()).cookie, year4.joinCode)

    const { items } = await json<{ items: AdminClass[] }>(
      await send('GET', '/v1/admin/classes', { admin: true }),
      200,
    )
    expect(items).toEqual([expect.objectContaining({ id: year4.id, members: 2 })])
    const mine = await json<{ items: MyClass[] }>(await send('GET', '/v1/me/classes', { cookie }), 200)
    expect(mine.items.map((c) => c.name)).toEqual(['Year 4'])
    const exported = await json<{ classes: MyClass[] }>(await send('GET', '/v1/me/export', { cookie }), 200)
    expect(exported.classes.map((c) => c.id)).toEqual([year4.id])
  })

  it('refuse a wrong code with a 404, joining nothing', async () => {
    await createClass('Year 5')
    const { cookie } = await newLearner()
    const problem = await expectProblem(await join(cookie, 'AAAAAAAA'), 404)
    expect(problem.detail).toBe('No class has this code.')
    await expectProblem(await send('POST', '/v1/me/classes', { body: { code: 'AAAAAAAA' } }), 401)
    expect(await db.select().from(classMembers)).toEqual([])
  })

  it('can be left by a learner, and deleted by an author (the learners stay)', async () => {
    const year6 = await createClass('Year 6')
    const { cookie } = await newLearner()
    await json(await join(cookie, year6.joinCode), 201)
    expect((await send('DELETE', `/v1/me/classes/${year6.id}`, { cookie })).status).toBe(204)
    await expectProblem(await send('DELETE', `/v1/me/classes/${year6.id}`, { cookie }), 404)
    await json(await join(cookie, year6.joinCode), 201)
    expect((await send('DELETE', `/v1/admin/classes/${year6.id}`, { admin: true })).status).toBe(204)
    expect(
      (await json<{ items: MyClass[] }>(await send('GET', '/v1/me/classes', { cookie }), 200)).items,
    ).toEqual([])
    await json(await send('GET', '/v1/me', { cookie }), 200)
    await expectProblem(await send('DELETE', `/v1/admin/classes/${year6.id}`, { admin: true }), 404)
  })
})
