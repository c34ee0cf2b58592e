import { as } from './app'
import type { World } from './world'

/** The records of a CSV whose fields hold no commas, quotes or line breaks, each as heading -> value. */
export function csvRecords(text: string): Record<string, string>[] {
  const [head, ...lines] = text.split('\r\n').filter(Boolean)
  const headings = head!.split(',')
  return lines.map(line => Object.fromEntries(line.split(',').map((value, i) => [headings[i], value])))
}

/** POST /api/moves/csv with a search body's filter, as `by`; answers the response with its text. */
export const exportCsv = (world: World, by: World['frontend'], filter: Record<string, unknown>) =>
  as(world.app, by)
    .post('/api/moves/csv')
    .set('Accept', 'text/csv')
    .send({ data: { type: 'moves', attributes: { filter } } })
    .buffer(true)
