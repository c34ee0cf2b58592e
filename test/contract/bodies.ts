import { expect } from 'chai'
import type supertest from 'supertest'

/** A path into a request body: `['data', 'attributes', 'moves_count']`. */
export type MemberPath = readonly (string | number)[]

/**
 * One refused body: a valid body with the member at `path` set to `value` (or removed, for
 * `undefined`), and the pointer the 422 must name (the member itself unless `at` says otherwise,
 * as for a conditional rule about another member).
 */
export type RefusedCase = { when: string; path: MemberPath; value: unknown; at?: MemberPath }

/** A copy of `body` with the member at `path` set to `value`, or removed when `value` is undefined. */
export function withMember<T>(body: T, path: MemberPath, value: unknown): T {
  const copy = structuredClone(body) as Record<string | number, unknown>
  let node = copy
  for (const step of path.slice(0, -1)) {
    node[step] ??= {}
    node = node[step] as Record<string | number, unknown>
  }
  const last = path[path.length - 1]!
  if (value === undefined) delete node[last]
  else node[last] = value
  return copy as T
}

/** The JSON pointer of a member path. */
export const pointer = (path: MemberPath) => path.map(step => `/${step}`).join('')

/** A member of `data.attributes`. */
export const attr = (...path: (string | number)[]): MemberPath => ['data', 'attributes', ...path]
/** A member of `data.relationships`. */
export const rel = (...path: (string | number)[]): MemberPath => ['data', 'relationships', ...path]

/**
 * Declares one test per case: the body with that member spoiled is 422 `unprocessable_entity` with
 * every `source.pointer` at that member (or inside it), and `state()` (what the request could have
 * changed) is as before.
 */
export function itRefuses(
  cases: readonly RefusedCase[],
  context: {
    body: () => unknown
    send: (body: unknown) => supertest.Test
    state: () => Promise<unknown>
  },
): void {
  for (const c of cases) {
    it(`when ${c.when}, then it is 422 at ${pointer(c.at ?? c.path)} and nothing changes`, async () => {
      const before = await context.state()
      const res = await context.send(withMember(context.body(), c.path, c.value)).expect(422)
      const errors = res.body.errors as { code: string; source?: { pointer?: string } }[]
      expect(errors.map(e => e.code)).to.satisfy((codes: string[]) =>
        codes.every(code => code === 'unprocessable_entity'),
      )
      // Every problem is about that member (or inside it), none elsewhere.
      const expected = pointer(c.at ?? c.path)
      expect(errors.map(e => e.source?.pointer)).to.include(expected)
      for (const e of errors) expect(`${e.source?.pointer}/`).to.satisfy((p: string) => p.startsWith(`${expected}/`))
      expect(await context.state()).to.deep.equal(before)
    })
  }
}
