// One practice round from Node, against `npm run dev`: node --import tsx examples/from-node.ts
import { cookieKeepingFetch, learningApi, practise } from './practise.ts'

const api = learningApi(process.env.API_URL ?? 'http://127.0.0.1:8787', { fetch: cookieKeepingFetch() })
// The sample catalogue's "Single-digit addition": sums of their own each attempt ("What is 3 + 4?").
const sum = (prompt: string) => (prompt.match(/\d+/g) ?? []).map(Number).reduce((a, b) => a + b, 0)
const solve = (questions: { id: string; prompt: string }[]) =>
  Object.fromEntries(questions.map((question) => [question.id, sum(question.prompt)]))
console.log(await practise(api, '00000000-0000-4000-8000-000000001001', solve))
