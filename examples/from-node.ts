// One practice round from Node, against `npm run dev`: node --import tsx examples/from-node.ts
import { cookieKeepingFetch, learningApi, practise } from './practise.ts'

const api = learningApi(process.env.API_URL ?? 'http://127.0.0.1:8787', { fetch: cookieKeepingFetch() })
// The sample catalogue's "Single-digit addition": 2 + 3, 4 + 4, 7 + 2.
console.log(await practise(api, '00000000-0000-4000-8000-000000001001', { q1: 5, q2: 8, q3: 9 }))
