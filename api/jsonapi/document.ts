import { Cache, Relator, Serializer } from 'ts-japi'
import type { Tx } from '../../db/client'

export type Linkage = { type: string; id: string }

export type ResourceObject = {
  type: string
  id: string
  attributes: Record<string, unknown>
  relationships?: Record<string, { data: Linkage | Linkage[] | null }>
  meta?: Record<string, unknown>
}

export type SerializeContext = {
  /** The API version negotiated from Accept (1 or 2). */
  version: number
  /** Absolute base URL of this server, for links. */
  baseUrl: string
  /**
   * The asking client's supplier (null or absent: the frontend or an operator), for the relationships
   * whose linkage depends on who asks (a profile's person escort record, a move's timeline).
   */
  supplierId?: string | null
}

/**
 * How one relationship of a resource is linked and, when included, loaded. `load` receives every
 * id needed at one include level at once, so an include costs one query whatever the page size.
 */
export type RelationshipDef<Row> = {
  type: string
  many?: boolean
  load?: (tx: Tx, ids: string[]) => Promise<unknown[]>
  /**
   * The related row when the parent's own statement brought it (a move list's profiles and people):
   * null for none, undefined when that statement did not bring it. When every parent has it, the
   * include costs no query; otherwise `load` loads it as usual.
   */
  embedded?: (row: Row) => unknown
  /**
   * For a relationship whose related type varies by row (an event's `eventable`): the row's related
   * type, which its linkage carries. Only rows whose type is `type` are included; the others are linked.
   */
  typeOf?: (row: Row) => string
} & (
  | { ids: (row: Row) => string | null | undefined | string[]; onlyWhenIncluded?: boolean }
  | {
      /**
       * For a relationship shown only when included (a move's timeline, a profile's person escort
       * record): its linkage is looked up for all parents at once, and only when requested, instead of
       * riding on every row. A to-one relationship takes the first id.
       */
      idsByParent: (tx: Tx, parentIds: string[], supplierId: string | null) => Promise<Map<string, string[]>>
      onlyWhenIncluded: true
    }
)

/**
 * One resource type in one API version: how a row becomes its attributes, relationships and meta.
 * An attribute must not share its name with a relationship (ts-japi keeps relationships out of
 * the attributes by name).
 */
export type ResourceDef<Row> = {
  type: string
  id?: (row: Row) => string
  attributes: (row: Row, ctx: SerializeContext) => Record<string, unknown>
  relationships?: Record<string, RelationshipDef<Row>>
  meta?: (row: Row) => Record<string, unknown> | undefined
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDef = ResourceDef<any>

/** Every resource type one API version serves, by type. */
export type ResourceMap = Record<string, AnyDef>

/** Parsed `include`, one level per node: `profile.person` is profile -> person. */
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

function rowId(def: AnyDef, row: unknown): string {
  return def.id ? def.id(row) : String((row as { id: string }).id)
}

const keyOf = (type: string, id: string) => `${type}:${id}`

/** A row loaded for the document with its relationships' linkage, by relationship name. */
type Entry = { def: AnyDef; row: unknown; id: string; linkage: Map<string, string | string[] | null> }

/** Linkage looked up by idsByParent: relationship name -> parent id -> related ids. */
type LinkageByParent = Map<string, Map<string, string[]>>

const relationshipLists = new WeakMap<AnyDef, [string, RelationshipDef<unknown>][]>()

/** A definition's relationships as a list, made once: entry() walks it for every row. */
function relationshipList(def: AnyDef): [string, RelationshipDef<unknown>][] {
  let list = relationshipLists.get(def)
  if (!list) relationshipLists.set(def, (list = Object.entries(def.relationships ?? {})))
  return list
}

function entry(def: AnyDef, row: unknown, included: ReadonlySet<string>, looked: LinkageByParent): Entry {
  const id = rowId(def, row)
  const linkage = new Map<string, string | string[] | null>()
  for (const [name, rel] of relationshipList(def)) {
    if ('idsByParent' in rel || rel.onlyWhenIncluded) {
      if (!included.has(name)) continue
    }
    const byParent = 'idsByParent' in rel ? (looked.get(name)?.get(id) ?? []) : undefined
    // A to-one relationship looked up by parent (a profile's person escort record) is its first id.
    const ids = byParent
      ? rel.many
        ? byParent
        : (byParent[0] ?? null)
      : (rel as { ids: (r: unknown) => unknown }).ids(row)
    linkage.set(name, rel.many ? ((ids as string[] | null | undefined) ?? []) : ((ids as string | null) ?? null))
  }
  return { def, row, id, linkage }
}

/** Rows by id, each once: embedded rows repeat when several parents share one (two moves, one person). */
function uniqueRows(def: AnyDef, rows: unknown[]): unknown[] {
  const byId = new Map<string, unknown>()
  for (const row of rows) {
    const id = rowId(def, row)
    if (!byId.has(id)) byId.set(id, row)
  }
  return [...byId.values()]
}

/** The rows a document needs: the primary rows and every included row, loaded in batches. */
type Loaded = { primary: Entry[]; included: Map<string, Entry> }

/**
 * Loads includes level by level: one query per included relationship (siblings sharing a loader,
 * such as a move's from_location and to_location, share it), never one per row. ts-japi fetches
 * related data row by row, so everything it will ask for is loaded here first.
 */
async function preload(
  tx: Tx,
  defs: ResourceMap,
  def: AnyDef,
  rows: unknown[],
  include: string[],
  supplierId: string | null,
): Promise<Loaded> {
  const definition = (type: string) => {
    const found = defs[type]
    if (!found) throw new Error(`resource type ${type} is not defined`)
    return found
  }
  const tree = includeTree(include)

  async function lookUp(rowsDef: AnyDef, of: unknown[], names: Iterable<string>): Promise<LinkageByParent> {
    const looked: LinkageByParent = new Map()
    const parentIds = of.map(row => rowId(rowsDef, row))
    for (const name of names) {
      const rel = rowsDef.relationships?.[name]
      if (rel && 'idsByParent' in rel && parentIds.length)
        looked.set(name, await rel.idsByParent(tx, parentIds, supplierId))
    }
    return looked
  }

  const topNames = new Set(tree.keys())
  const topLooked = await lookUp(def, rows, topNames)
  const primary = rows.map(row => entry(def, row, topNames, topLooked))
  const seen = new Set(primary.map(e => keyOf(def.type, e.id)))
  const included = new Map<string, Entry>()

  /** The related rows the parents' statement brought, or undefined when any parent lacks them. */
  function embeddedRows(rel: RelationshipDef<unknown>, parents: Entry[]): unknown[] | undefined {
    if (!rel.embedded) return undefined
    const rows: unknown[] = []
    for (const parent of parents) {
      const row = rel.embedded(parent.row)
      if (row === undefined) return undefined
      if (row !== null) rows.push(row)
    }
    return rows
  }

  async function walk(parentDef: AnyDef, parents: Entry[], node: IncludeTree) {
    type Wanted = { ids: Set<string>; child: IncludeTree; names: Set<string> }
    type Batch = {
      type: string
      wanted: Wanted[]
      load: NonNullable<RelationshipDef<unknown>['load']>
      rows?: unknown[]
    }
    // Keyed by the loader, so that relationships sharing one share its query; embedded rows by relationship.
    const batches = new Map<unknown, Batch>()
    for (const [name, child] of node) {
      const rel = parentDef.relationships?.[name]
      if (!rel?.load) throw new Error(`${parentDef.type}.${name} cannot be included`)
      const ids = new Set<string>()
      for (const parent of parents) {
        if (rel.typeOf && rel.typeOf(parent.row) !== rel.type) continue
        const linked = parent.linkage.get(name)
        if (typeof linked === 'string') ids.add(linked)
        else if (linked) for (const id of linked) ids.add(id)
      }
      if (!ids.size) continue
      const rows = embeddedRows(rel, parents)
      const key = rows ? rel : rel.load
      const batch = batches.get(key) ?? { type: rel.type, wanted: [], load: rel.load, rows }
      batch.wanted.push({ ids, child, names: new Set(child.keys()) })
      batches.set(key, batch)
    }
    for (const batch of batches.values()) {
      const relatedDef = definition(batch.type)
      const relatedRows = batch.rows
        ? uniqueRows(relatedDef, batch.rows)
        : await batch.load(tx, [...new Set(batch.wanted.flatMap(w => [...w.ids]))])
      const childNames = new Set(batch.wanted.flatMap(w => [...w.child.keys()]))
      const looked = await lookUp(relatedDef, relatedRows, childNames)
      const entries: Entry[] = []
      for (const row of relatedRows) {
        const id = rowId(relatedDef, row)
        const key = keyOf(relatedDef.type, id)
        const names =
          batch.wanted.length === 1
            ? batch.wanted[0]!.names
            : new Set(batch.wanted.filter(w => w.ids.has(id)).flatMap(w => [...w.names]))
        const loaded = entry(relatedDef, row, names, looked)
        entries.push(loaded)
        if (seen.has(key)) continue
        seen.add(key)
        included.set(key, loaded)
      }
      for (const { ids, child } of batch.wanted) {
        if (child.size)
          await walk(
            relatedDef,
            entries.filter(e => ids.has(e.id)),
            child,
          )
      }
    }
  }
  await walk(def, primary, tree)
  return { primary, included }
}

/**
 * What ts-japi serialises: a row's attributes with its `id` last. A related row is linked by a bare
 * `{ id }`: each included type is serialised on its own, so a relationship needs only linkage.
 */
type View = Record<string, unknown> & { id: string }

type Linked = { id: string }

/**
 * Each view's related rows by relationship name, which the Relators fetch. They are kept off the
 * view itself: ts-japi copies a view into `attributes` and deletes the id and every relationship
 * name from the copy, and deleting only the last key (the id) keeps that copy cheap.
 */
const relatedViews = new WeakMap<View, Record<string, Linked | Linked[] | null>>()

/** The view ts-japi serialises for one entry, its linkage kept for the Relators. */
function view(e: Entry, ctx: SerializeContext): View {
  // attributes() answers a new object for every row, so the id may be added to it.
  const made = e.def.attributes(e.row, ctx) as View
  made.id = e.id
  const related: Record<string, Linked | Linked[] | null> = {}
  for (const [name, ids] of e.linkage) {
    if (ids === null) related[name] = null
    else if (typeof ids === 'string') related[name] = { id: ids }
    else related[name] = ids.map(id => ({ id }))
  }
  relatedViews.set(made, related)
  return made
}

/**
 * The Relators of one resource type and version, built once. Each is given its relationship's
 * name as `relatedName`, which is what ts-japi matches include paths against (without it, two
 * relationships to one type, such as from_location and to_location, would both be named after it).
 * Each fetch answers its linkage as a value, not a promise: ts-japi, as patched
 * (`patches/ts-japi+1.12.6.patch`), then builds the relationship without a promise of its own, where
 * it made three for every relationship of every resource (a third of a page's garbage).
 */
const relatorsByDefs = new WeakMap<ResourceMap, Map<string, Record<string, Relator<View>> | undefined>>()

function relatorsOf(defs: ResourceMap, type: string): Record<string, Relator<View>> | undefined {
  let byType = relatorsByDefs.get(defs)
  if (!byType) relatorsByDefs.set(defs, (byType = new Map()))
  if (byType.has(type)) return byType.get(type)
  const def = defs[type]
  if (!def) throw new Error(`resource type ${type} is not defined`)
  const relators = def.relationships
    ? Object.fromEntries(
        Object.entries(def.relationships).map(([name, rel]) => [
          name,
          new Relator<View, View>(
            made => relatedViews.get(made)?.[name] as View | View[] | null | undefined,
            () => serializerOf(defs, rel.type),
            { relatedName: name },
          ),
        ]),
      )
    : undefined
  byType.set(type, relators)
  return relators
}

/**
 * A ts-japi document cache that keeps nothing. ts-japi's Serializer ends every `serialize` in
 * `cache.set`, caching on or off, and its default Cache keeps the last eleven documents with the rows
 * they were made of; our Serializers live as long as the process, so every document stayed alive for the
 * next ten requests. Never read (caching is off, and each request brings new views), those documents were
 * only memory held and promoted to V8's old generation, growing the heap under load.
 */
class NoDocumentCache extends Cache<View> {
  override get(): false {
    return false
  }

  override set(...[, document]: Parameters<Cache<View>['set']>): ReturnType<Cache<View>['set']> {
    return document
  }
}

/**
 * One ts-japi Serializer per resource type and version, built once and reused: passing options per
 * call would make ts-japi merge them and rebuild its helpers on every document. Each type's
 * resources are serialised by its own Serializer, the included ones too (see `serialize`).
 */
const serializers = new WeakMap<ResourceMap, Map<string, Serializer<View>>>()

function serializerOf(defs: ResourceMap, type: string): Serializer<View> {
  let byType = serializers.get(defs)
  if (!byType) serializers.set(defs, (byType = new Map()))
  let serializer = byType.get(type)
  if (!serializer) {
    serializer = new Serializer<View>(type, {
      version: '1.1',
      projection: null,
      cache: new NoDocumentCache(),
      relators: relatorsOf(defs, type),
    })
    byType.set(type, serializer)
  }
  return serializer
}

/** Keeps only the attributes and relationships `fields[TYPE]` names. */
function project(resource: ResourceObject, allowed: Set<string>): void {
  const attributes: Record<string, unknown> = {}
  for (const key in resource.attributes) if (allowed.has(key)) attributes[key] = resource.attributes[key]
  resource.attributes = attributes
  if (resource.relationships) {
    const relationships: NonNullable<ResourceObject['relationships']> = {}
    for (const key in resource.relationships) if (allowed.has(key)) relationships[key] = resource.relationships[key]!
    resource.relationships = relationships
  }
}

/** The relationships of a definition whose related type varies by row, if it has any. */
const variableTypes = new WeakMap<AnyDef, [string, RelationshipDef<unknown>][]>()

function variablyTyped(def: AnyDef): [string, RelationshipDef<unknown>][] {
  let list = variableTypes.get(def)
  if (!list) variableTypes.set(def, (list = relationshipList(def).filter(([, rel]) => rel.typeOf)))
  return list
}

/**
 * Completes what ts-japi made of one entry, in place (the objects are this document's own): a
 * relationship with `typeOf` gets the row's own type (ts-japi links a relationship to one type),
 * `fields[TYPE]` applies, and the definition's meta is added.
 */
function finish(resource: ResourceObject, e: Entry, fields: Map<string, Set<string>>): ResourceObject {
  for (const [name, rel] of variablyTyped(e.def)) {
    const linkage = resource.relationships?.[name]?.data
    if (linkage && !Array.isArray(linkage)) linkage.type = rel.typeOf!(e.row)
  }
  const allowed = fields.get(resource.type)
  if (allowed) project(resource, allowed)
  const meta = e.def.meta?.(e.row)
  if (meta) resource.meta = meta
  return resource
}

/** ts-japi's resource objects for views of one type, in their order. */
async function resourcesOf(defs: ResourceMap, type: string, made: View[]): Promise<ResourceObject[]> {
  const document = await serializerOf(defs, type).serialize(made)
  return document.data as unknown as ResourceObject[]
}

/**
 * The keys of the included rows in the order ts-japi's include walk put them, which clients saw before
 * each type got a Serializer of its own, and which depends only on the document's linkage (the order
 * preload finds rows in is the database's): breadth first, one depth of the include paths at a time;
 * within a depth, relationship by relationship (in their definitions' order, as the parents at that
 * depth first named them), each relationship's rows in its parents' order, each row at its first
 * appearance. Like the walk, a depth takes the relationships named at that depth by any path. Rows
 * preload loaded that the walk would not reach come last, in preload's order.
 */
function includedOrder(defs: ResourceMap, def: AnyDef, loaded: Loaded, include: string[]): string[] {
  type Linked = { name: string; keys: string[] }
  /** The rows `parent` links, by relationship, into `batches` (a definition's relationships in its order). */
  const link = (batches: Map<string, Linked>, parentDef: AnyDef | undefined, parent: Entry | undefined) => {
    if (!parentDef) return
    for (const [name, rel] of relationshipList(parentDef)) {
      const batchKey = keyOf(parentDef.type, name)
      let batch = batches.get(batchKey)
      if (!batch) batches.set(batchKey, (batch = { name, keys: [] }))
      const ids = parent?.linkage.get(name)
      if (ids === undefined || ids === null) continue
      // Keyed by the relationship's declared type, as the walk keyed them; a row of another type is only linked.
      for (const id of typeof ids === 'string' ? [ids] : ids) batch.keys.push(keyOf(rel.type, id))
    }
  }
  const seen = new Set(loaded.primary.map(e => keyOf(def.type, e.id)))
  const order: string[] = []
  let batches = new Map<string, Linked>()
  for (const e of loaded.primary) link(batches, def, e)
  const paths = include.map(path => path.split('.'))
  const depths = Math.max(0, ...paths.map(path => path.length))
  for (let depth = 0; depth < depths; depth++) {
    const named = new Set(paths.flatMap(path => (path[depth] ? [path[depth]] : [])))
    const deeper = new Set(paths.flatMap(path => (path.length > depth + 1 ? [path[depth]!] : [])))
    const next = new Map<string, Linked>()
    for (const { name, keys } of batches.values()) {
      if (!named.has(name)) continue
      for (const key of keys) {
        if (seen.has(key)) continue
        seen.add(key)
        order.push(key)
        const e = loaded.included.get(key)
        if (deeper.has(name)) link(next, defs[key.slice(0, key.indexOf(':'))], e)
      }
    }
    batches = next
  }
  const ordered = order.filter(key => loaded.included.has(key))
  if (ordered.length === loaded.included.size) return ordered
  const placed = new Set(ordered)
  for (const key of loaded.included.keys()) if (!placed.has(key)) ordered.push(key)
  return ordered
}

export type DocumentOptions = {
  include?: string[]
  fields?: Map<string, Set<string>>
  links?: Record<string, string | null>
  meta?: Record<string, unknown>
}

/**
 * Builds a JSON:API document for one row or a list with ts-japi. What ts-japi lacks stays here:
 * related rows are loaded in batches beforehand, `fields[TYPE]` applies to included resources as
 * well, resource meta is added from the row, and top-level links and meta are the caller's.
 * ts-japi serialises the primary resources and then each included type with that type's own
 * Serializer: its include walk would build every related resource once per parent that links it,
 * and then the bare linkage-only ones too, only for most of them to be thrown away.
 */
export async function serialize(
  tx: Tx,
  defs: ResourceMap,
  type: string,
  data: unknown[] | unknown | null,
  ctx: SerializeContext,
  options: DocumentOptions = {},
): Promise<Record<string, unknown>> {
  const def = defs[type]
  if (!def) throw new Error(`resource type ${type} is not defined`)
  const rows = Array.isArray(data) ? data : data === null || data === undefined ? [] : [data]
  const include = options.include ?? []
  const loaded = await preload(tx, defs, def, rows, include, ctx.supplierId ?? null)
  const fields = options.fields ?? new Map<string, Set<string>>()

  const primaryViews = loaded.primary.map(e => view(e, ctx))
  const primary = (await resourcesOf(defs, type, primaryViews)).map((r, i) => finish(r, loaded.primary[i]!, fields))
  const document: Record<string, unknown> = {
    jsonapi: { version: '1.1' },
    data: Array.isArray(data) ? primary : (primary[0] ?? null),
  }
  if (include.length) {
    // One batch per type, then back in the order preload found them.
    const byType = new Map<string, { keys: string[]; views: View[] }>()
    for (const [key, e] of loaded.included) {
      let batch = byType.get(e.def.type)
      if (!batch) byType.set(e.def.type, (batch = { keys: [], views: [] }))
      batch.keys.push(key)
      batch.views.push(view(e, ctx))
    }
    const resources = new Map<string, ResourceObject>()
    for (const [includedType, batch] of byType) {
      const made = await resourcesOf(defs, includedType, batch.views)
      made.forEach((r, i) => resources.set(batch.keys[i]!, r))
    }
    const included: ResourceObject[] = []
    for (const key of includedOrder(defs, def, loaded, include)) {
      included.push(finish(resources.get(key)!, loaded.included.get(key)!, fields))
    }
    document.included = included
  }
  if (options.links) document.links = options.links
  if (options.meta) document.meta = options.meta
  return document
}
