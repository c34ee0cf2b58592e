import { DomainError } from '../../lib/errors'
import { listFrameworks, loadFrameworkRows } from '../../lib/assessments/frameworks'
import { parsePage } from '../../lib/jsonapi/pagination'
import type { Services } from '../../lib/services'
import { serializeContext, type HandlerTable } from '../context'
import { parseFields, parseInclude } from '../jsonapi/parameters'
import { paginationLinks } from '../jsonapi/pagination'
import { serialize } from '../resources'

/** What `GET /api/reference/frameworks/{id}` may include (reference §2.1). */
const FRAMEWORK_INCLUDES = [
  'questions',
  'questions.flags',
  'questions.descendants',
  'questions.descendants.flags',
  'questions.descendants.**',
] as const

/**
 * How deep `questions.descendants.**` follows dependents. Our frameworks nest three levels; each
 * level costs one statement when it has questions and none when it is empty, so a margin is free.
 */
const DESCENDANT_DEPTH = 6

/**
 * The include paths to load: `questions.descendants.**` is every level of descendants, each with
 * its flags when `questions.descendants.flags` is asked for too.
 */
function expandInclude(paths: string[]): string[] {
  if (!paths.includes('questions.descendants.**')) return paths
  const withFlags = paths.includes('questions.descendants.flags')
  const expanded = paths.filter(p => p !== 'questions.descendants.**')
  let path = 'questions'
  for (let depth = 0; depth < DESCENDANT_DEPTH; depth++) {
    path += '.descendants'
    expanded.push(path)
    if (withFlags) expanded.push(`${path}.flags`)
  }
  return [...new Set(expanded)]
}

/** The frameworks reference routes (issue #15): the framework versions loaded from the repository's files. */
export function frameworkHandlers(services: Services): HandlerTable {
  const { db } = services
  return {
    listFrameworks: async (req, res) => {
      // The reference allows no include on the list: any is 400.
      parseInclude(req.query.include, [])
      const page = parsePage(req.query)
      const { rows, total } = await listFrameworks(db, page)
      const ctx = serializeContext(req)
      const { links, meta } = paginationLinks(ctx.baseUrl, req.path, req.query, page, total)
      res.json(await serialize(db, 'frameworks', rows, ctx, { fields: parseFields(req.query.fields), links, meta }))
    },

    getFramework: async (req, res) => {
      const id = String(req.params.id)
      const include = expandInclude(parseInclude(req.query.include, FRAMEWORK_INCLUDES))
      const [framework] = await loadFrameworkRows(db, [id])
      if (!framework) throw new DomainError('not_found', `Couldn't find Framework with 'id'=${id}`)
      res.json(
        await serialize(db, 'frameworks', framework, serializeContext(req), {
          include,
          fields: parseFields(req.query.fields),
        }),
      )
    },
  }
}
