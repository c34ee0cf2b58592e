import type { Tx } from '../../db/client'
import { DomainError } from '../errors'

export type Linkage = { type: string; id: string }

export type ResourceObject = {
  type: string
  id: string
  attributes: Record<string, unknown>
  relationships?: Record<string, { data: Linkage | Linkage[] | null }>
  links?: { self: string }
  meta?: Record<string, unknown>
}

export type SerializeContext = {
  /** The API version negotiated from Accept (1 or 2). */
  version: number
  /** Absolute base URL of this server, for links. */
  baseUrl: string
}

/**
 * How one relationship of a resource is linked and, when included, loaded. `load` receives every
 * id needed at one include level at once, so an include costs one query whatever the page size.
 */
export type RelationshipDef<Row> = {
  type: string
  many?: boolean
  load?: (tx: Tx, ids: string[], ctx: SerializeContext) => Promise<unknown[]>
} & (
  | { ids: (row: Row) => string | null | undefined | string[]; onlyWhenIncluded?: boolean }
  | {
      /**
       * For a to-many relationship shown only when included (a move's timeline): its linkage is
       * looked up for all parents at once, and only when requested, instead of riding on every row.
       */
      idsByParent: (tx: Tx, parentIds: string[]) => Promise<Map<string, string[]>>
      onlyWhenIncluded: true
    }
)

/** Linkage looked up by idsByParent: relationship name -> parent id -> related ids. */
type LinkageByParent = Map<string, Map<string, string[]>>

function linkageIds<Row>(
  rel: RelationshipDef<Row>,
  name: string,
  row: Row,
  parentId: string,
  looked: LinkageByParent,
): string | null | undefined | string[] {
  return 'idsByParent' in rel ? (looked.get(name)?.get(parentId) ?? []) : rel.ids(row)
}

export type ResourceDef<Row> = {
  type: string
  id?: (row: Row) => string
  attributes: (row: Row, ctx: SerializeContext) => Record<string, unknown>
  relationships?: (ctx: SerializeContext) => Record<string, RelationshipDef<Row>>
  links?: (row: Row, ctx: SerializeContext) => { self: string }
  meta?: (row: Row, ctx: SerializeContext) => Record<string, unknown> | undefined
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDef = ResourceDef<any>

const registry = new Map<string, AnyDef>()

/** Each resource type registers once; relationships name their target by type. */
export function defineResource<Row>(def: ResourceDef<Row>): ResourceDef<Row> {
  registry.set(def.type, def as AnyDef)
  return def
}

function definition(type: string): AnyDef {
  const def = registry.get(type)
  if (!def) throw new Error(`resource type ${type} is not defined`)
  return def
}

function rowId(def: AnyDef, row: unknown): string {
  return def.id ? def.id(row) : String((row as { id: string }).id)
}

export function toResource(
  def: AnyDef,
  row: unknown,
  ctx: SerializeContext,
  included: Set<string>,
  looked: LinkageByParent = new Map(),
): ResourceObject {
  const resource: ResourceObject = { type: def.type, id: rowId(def, row), attributes: def.attributes(row, ctx) }
  const relationships = def.relationships?.(ctx)
  if (relationships) {
    const members: Record<string, { data: Linkage | Linkage[] | null }> = {}
    for (const [name, rel] of Object.entries(relationships)) {
      if (rel.onlyWhenIncluded && !included.has(name)) continue
      const ids = linkageIds(rel, name, row, resource.id, looked)
      members[name] = {
        data: rel.many
          ? ((ids as string[] | null | undefined) ?? []).map(id => ({ type: rel.type, id }))
          : ids
            ? { type: rel.type, id: ids as string }
            : null,
      }
    }
    resource.relationships = members
  }
  if (def.links) resource.links = def.links(row, ctx)
  const meta = def.meta?.(row, ctx)
  if (meta) resource.meta = meta
  return resource
}

/** Parses `include=a.b,c` and checks every path against what the endpoint supports. */
export function parseInclude(raw: unknown, supported: readonly string[]): string[] {
  if (raw === undefined || raw === '') return []
  if (typeof raw !== 'string') {
    throw new DomainError('bad_request', 'include must be a comma-separated list', {
      subject: { parameter: 'include' },
    })
  }
  const paths = [
    ...new Set(
      raw
        .split(',')
        .map(p => p.trim())
        .filter(Boolean),
    ),
  ]
  const unsupported = paths.filter(p => !supported.includes(p))
  if (unsupported.length) {
    throw new DomainError(
      'unsupported_include',
      `${JSON.stringify(unsupported)} is not supported. Valid values are: ${JSON.stringify(supported)}`,
      { subject: { parameter: 'include' } },
    )
  }
  return paths
}

type IncludeTree = Map<string, IncludeTree>

function includeTree(paths: string[]): IncludeTree {
  const root: IncludeTree = new Map()
  for (const path of paths) {
    let node = root
    for (const segment of path.split('.')) {
      if (!node.has(segment)) node.set(segment, new Map())
      node = node.get(segment)!
    }
  }
  return root
}

/** Parses `fields[TYPE]=a,b` into a per-type allow list. */
export function parseFields(raw: unknown): Map<string, Set<string>> {
  const fields = new Map<string, Set<string>>()
  if (!raw || typeof raw !== 'object') return fields
  for (const [type, list] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof list !== 'string') {
      throw new DomainError('bad_request', `fields[${type}] must be a comma-separated list`, {
        subject: { parameter: `fields[${type}]` },
      })
    }
    fields.set(
      type,
      new Set(
        list
          .split(',')
          .map(f => f.trim())
          .filter(Boolean),
      ),
    )
  }
  return fields
}

function project(resource: ResourceObject, fields: Map<string, Set<string>>): ResourceObject {
  const allowed = fields.get(resource.type)
  if (!allowed) return resource
  const attributes = Object.fromEntries(Object.entries(resource.attributes).filter(([k]) => allowed.has(k)))
  const projected: ResourceObject = { ...resource, attributes }
  if (resource.relationships) {
    projected.relationships = Object.fromEntries(Object.entries(resource.relationships).filter(([k]) => allowed.has(k)))
  }
  return projected
}

export type DocumentOptions = {
  include?: string[]
  fields?: Map<string, Set<string>>
  links?: Record<string, string | null>
  meta?: Record<string, unknown>
}

/**
 * Builds a JSON:API document for one resource or a list, loading includes level by level:
 * one query per included relationship, never one per row.
 */
export async function serialize(
  tx: Tx,
  type: string,
  data: unknown[] | unknown | null,
  ctx: SerializeContext,
  options: DocumentOptions = {},
): Promise<Record<string, unknown>> {
  const def = definition(type)
  const rows = Array.isArray(data) ? data : data === null || data === undefined ? [] : [data]
  const tree = includeTree(options.include ?? [])
  const topLevelIncludes = new Set(tree.keys())

  /** The linkage of these rows' included idsByParent relationships: one query per relationship. */
  async function lookUp(rowsDef: AnyDef, of: unknown[], names: Iterable<string>): Promise<LinkageByParent> {
    const looked: LinkageByParent = new Map()
    const relationships = rowsDef.relationships?.(ctx) ?? {}
    const parentIds = of.map(row => rowId(rowsDef, row))
    for (const name of names) {
      const rel = relationships[name]
      if (rel && 'idsByParent' in rel && parentIds.length) looked.set(name, await rel.idsByParent(tx, parentIds))
    }
    return looked
  }

  const topLooked = await lookUp(def, rows, topLevelIncludes)
  const primary = rows.map(row => toResource(def, row, ctx, topLevelIncludes, topLooked))

  const included = new Map<string, ResourceObject>()
  const seen = new Set(primary.map(r => `${r.type}:${r.id}`))
  async function walk(parentDef: AnyDef, parents: unknown[], node: IncludeTree, looked: LinkageByParent) {
    const relationships = parentDef.relationships?.(ctx) ?? {}
    // Siblings loaded by the same function (a move's from_location and to_location) share one query.
    type Wanted = { ids: Set<string>; child: IncludeTree }
    const batches = new Map<NonNullable<RelationshipDef<unknown>['load']>, { type: string; wanted: Wanted[] }>()
    for (const [name, child] of node) {
      const rel = relationships[name]
      if (!rel?.load) throw new Error(`${parentDef.type}.${name} cannot be included`)
      const ids = new Set(
        parents.flatMap(p =>
          [linkageIds(rel, name, p, rowId(parentDef, p), looked)].flat().filter((id): id is string => !!id),
        ),
      )
      if (!ids.size) continue
      const batch = batches.get(rel.load) ?? { type: rel.type, wanted: [] }
      batch.wanted.push({ ids, child })
      batches.set(rel.load, batch)
    }
    for (const [load, batch] of batches) {
      const relatedDef = definition(batch.type)
      const relatedRows = await load(tx, [...new Set(batch.wanted.flatMap(w => [...w.ids]))], ctx)
      const relatedLooked = await lookUp(
        relatedDef,
        relatedRows,
        new Set(batch.wanted.flatMap(w => [...w.child.keys()])),
      )
      for (const row of relatedRows) {
        const id = rowId(relatedDef, row)
        const key = `${relatedDef.type}:${id}`
        if (seen.has(key)) continue
        seen.add(key)
        const childKeys = batch.wanted.filter(w => w.ids.has(id)).flatMap(w => [...w.child.keys()])
        included.set(key, toResource(relatedDef, row, ctx, new Set(childKeys), relatedLooked))
      }
      for (const { ids, child } of batch.wanted) {
        if (!child.size) continue
        const subset = relatedRows.filter(row => ids.has(rowId(relatedDef, row)))
        await walk(relatedDef, subset, child, relatedLooked)
      }
    }
  }
  await walk(def, rows, tree, topLooked)

  const fields = options.fields ?? new Map()
  const document: Record<string, unknown> = {
    jsonapi: { version: '1.1' },
    data: Array.isArray(data)
      ? primary.map(r => project(r, fields))
      : ((primary[0] && project(primary[0], fields)) ?? null),
  }
  if (options.include?.length) document.included = [...included.values()].map(r => project(r, fields))
  if (options.links) document.links = options.links
  if (options.meta) document.meta = options.meta
  return document
}
