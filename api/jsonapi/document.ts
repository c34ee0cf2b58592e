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

/** A related resource as a Relator hands it to ts-japi, which needs only its id to link it. */
type Linked = { id: string }

/** One relationship's linkage: null or an empty list for none; undefined when the resource does not show it. */
type Links = Linked | Linked[] | null | undefined

/** One relationship of a definition, with what the document's passes need of it, made once. */
type Slot = {
  name: string
  rel: RelationshipDef<unknown>
  /** Shown only when included: looked up by parent, or marked onlyWhenIncluded. */
  optional: boolean
  /** The definition's type and the relationship's name, which names its batch in includedOrder. */
  batchKey: string
}

/** A definition's relationships in their order, and each one's position by name. */
type Plan = { def: AnyDef; slots: Slot[]; position: Map<string, number>; variablyTyped: Slot[] }

const plans = new WeakMap<AnyDef, Plan>()

/** A definition's Plan, made once: the document's passes walk it for every row. */
function planOf(def: AnyDef): Plan {
  let plan = plans.get(def)
  if (!plan) {
    const slots = Object.entries(def.relationships ?? {}).map(([name, rel]) => ({
      name,
      rel,
      optional: 'idsByParent' in rel || rel.onlyWhenIncluded === true,
      batchKey: `${def.type}:${name}`,
    }))
    plan = {
      def,
      slots,
      position: new Map(slots.map((slot, i) => [slot.name, i])),
      variablyTyped: slots.filter(slot => slot.rel.typeOf),
    }
    plans.set(def, plan)
  }
  return plan
}

/**
 * The relationships one resource shows (each the position of its slot, in the definition's order), and
 * the Serializer whose Relators are exactly those: every relationship but those shown only when
 * included and not included. A Relator with nothing to show would cost ts-japi two promises a resource.
 */
type Variant = { shown: number[]; serializer: Serializer<View> }

/** A row loaded for the document, with its relationships' linkage by slot position. */
type Entry = {
  plan: Plan
  variant: Variant
  row: unknown
  id: string
  links: Links[]
  /** What ts-japi made of it, once serialised. */
  resource?: ResourceObject
}

/** Linkage looked up by idsByParent: relationship name -> parent id -> related ids. */
type LinkageByParent = Map<string, Map<string, string[]>>

/** ts-japi's idea of one relationship's related data: ids become `{ id }`. */
function linked(ids: unknown, many: boolean | undefined): Linked | Linked[] | null {
  const value = many ? (ids ?? []) : (ids ?? null)
  if (value === null) return null
  if (typeof value === 'string') return { id: value }
  return (value as string[]).map(id => ({ id }))
}

function entry(plan: Plan, variant: Variant, row: unknown, looked: LinkageByParent): Entry {
  const id = rowId(plan.def, row)
  const links = new Array<Links>(plan.slots.length)
  for (const i of variant.shown) {
    const { name, rel } = plan.slots[i]!
    if ('idsByParent' in rel) {
      const byParent = looked.get(name)?.get(id) ?? []
      // A to-one relationship looked up by parent (a profile's person escort record) is its first id.
      links[i] = linked(rel.many ? byParent : (byParent[0] ?? null), rel.many)
    } else links[i] = linked(rel.ids(row), rel.many)
  }
  return { plan, variant, row, id, links }
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

/** Entries by type, then id. */
type ByType = Map<string, Map<string, Entry>>

/**
 * The rows a document needs: the primary rows, and every included row once, by type and id (not
 * a primary one), and in the order preload found them.
 */
type Loaded = { primary: Entry[]; included: ByType; found: Entry[] }

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
  const plan = planOf(def)
  const topVariant = variantOf(defs, plan, topNames)
  const primary = rows.map(row => entry(plan, topVariant, row, topLooked))
  const primaryIds = new Set(primary.map(e => e.id))
  const included: ByType = new Map()
  const found: Entry[] = []

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

  async function walk(parentPlan: Plan, parents: Entry[], node: IncludeTree) {
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
      const position = parentPlan.position.get(name)
      const rel = position === undefined ? undefined : parentPlan.slots[position]!.rel
      if (!rel?.load) throw new Error(`${parentPlan.def.type}.${name} cannot be included`)
      const ids = new Set<string>()
      for (const parent of parents) {
        if (rel.typeOf && rel.typeOf(parent.row) !== rel.type) continue
        const links = parent.links[position!]
        if (Array.isArray(links)) for (const { id } of links) ids.add(id)
        else if (links) ids.add(links.id)
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
      const relatedPlan = planOf(relatedDef)
      const relatedRows = batch.rows
        ? uniqueRows(relatedDef, batch.rows)
        : await batch.load(tx, [...new Set(batch.wanted.flatMap(w => [...w.ids]))])
      const childNames = new Set(batch.wanted.flatMap(w => [...w.child.keys()]))
      const looked = await lookUp(relatedDef, relatedRows, childNames)
      let ofType = included.get(relatedDef.type)
      if (!ofType) included.set(relatedDef.type, (ofType = new Map()))
      const primaryType = relatedDef.type === def.type
      // A row's relationships are those included below any of the relationships that reached it.
      const variants = new Map<number, Variant>()
      const variantFor = (id: string) => {
        let reached = 1
        if (batch.wanted.length > 1) {
          reached = 0
          batch.wanted.forEach((w, i) => (reached |= w.ids.has(id) ? 1 << i : 0))
        }
        let variant = variants.get(reached)
        if (!variant) {
          const names = new Set(batch.wanted.filter((_, i) => reached & (1 << i)).flatMap(w => [...w.names]))
          variants.set(reached, (variant = variantOf(defs, relatedPlan, names)))
        }
        return variant
      }
      const entries: Entry[] = []
      for (const row of relatedRows) {
        const loaded = entry(relatedPlan, variantFor(rowId(relatedDef, row)), row, looked)
        entries.push(loaded)
        if ((primaryType && primaryIds.has(loaded.id)) || ofType.has(loaded.id)) continue
        ofType.set(loaded.id, loaded)
        found.push(loaded)
      }
      for (const { ids, child } of batch.wanted) {
        if (child.size)
          await walk(
            relatedPlan,
            entries.filter(e => ids.has(e.id)),
            child,
          )
      }
    }
  }
  await walk(plan, primary, tree)
  return { primary, included, found }
}

/**
 * What ts-japi serialises: a row's attributes, then the linkage of each relationship it shows under
 * the relationship's name (which the Relators fetch, the last relationship first), then its `id`.
 * ts-japi copies a view into `attributes` and deletes from the copy the id and then each relationship
 * name in the definition's order: each so deletes the copy's last key, which keeps the copy a fast object.
 */
type View = Record<string, unknown> & { id: string }

/** The view ts-japi serialises for one entry. */
function view(e: Entry, ctx: SerializeContext): View {
  // attributes() answers a new object for every row, so the linkage and id may be added to it.
  const made = e.plan.def.attributes(e.row, ctx) as View
  const { shown } = e.variant
  for (let i = shown.length - 1; i >= 0; i--) made[e.plan.slots[shown[i]!]!.name] = e.links[shown[i]!]
  made.id = e.id
  return made
}

/**
 * The Relator of each relationship of one resource type and version, built once. Each is given its
 * relationship's name as `relatedName`, which is what ts-japi matches include paths against (without
 * it, two relationships to one type, such as from_location and to_location, would both be named after it).
 * Each fetch answers its linkage as a value, not a promise: ts-japi, as patched
 * (`patches/ts-japi+1.12.6.patch`), then builds the relationship without a promise of its own, where
 * it made three for every relationship of every resource.
 */
const relatorsByDefs = new WeakMap<ResourceMap, Map<Plan, Relator<View>[]>>()

function relatorsOf(defs: ResourceMap, plan: Plan): Relator<View>[] {
  let byPlan = relatorsByDefs.get(defs)
  if (!byPlan) relatorsByDefs.set(defs, (byPlan = new Map()))
  let relators = byPlan.get(plan)
  if (!relators) {
    relators = plan.slots.map(
      ({ name, rel }) =>
        new Relator<View, View>(
          made => made[name] as View | View[] | null,
          () => serializerOf(defs, planOf(definition(defs, rel.type)), []),
          { relatedName: name },
        ),
    )
    byPlan.set(plan, relators)
  }
  return relators
}

function definition(defs: ResourceMap, type: string): AnyDef {
  const def = defs[type]
  if (!def) throw new Error(`resource type ${type} is not defined`)
  return def
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
 * One ts-japi Serializer per resource type, version and set of relationships shown, built once and
 * reused: passing options per call would make ts-japi merge them and rebuild its helpers on every
 * document. Each type's resources are serialised by its own Serializers, the included ones too (see
 * `serialize`). A definition without relationships gets none; one with relationships gets an object of
 * them even when it shows none, which ts-japi answers with `relationships: {}`.
 */
const serializers = new WeakMap<ResourceMap, Map<Plan, Map<string, Serializer<View>>>>()

function serializerOf(defs: ResourceMap, plan: Plan, shown: number[]): Serializer<View> {
  let byPlan = serializers.get(defs)
  if (!byPlan) serializers.set(defs, (byPlan = new Map()))
  let byShown = byPlan.get(plan)
  if (!byShown) byPlan.set(plan, (byShown = new Map()))
  const key = shown.join()
  let serializer = byShown.get(key)
  if (!serializer) {
    const relators = plan.def.relationships ? relatorsOf(defs, plan) : undefined
    serializer = new Serializer<View>(plan.def.type, {
      version: '1.1',
      projection: null,
      cache: new NoDocumentCache(),
      relators: relators && Object.fromEntries(shown.map(i => [plan.slots[i]!.name, relators[i]!])),
    })
    byShown.set(key, serializer)
  }
  return serializer
}

const variants = new WeakMap<ResourceMap, Map<Plan, Map<string, Variant>>>()

/** The Variant of a definition's resources when the relationships `included` are included below them. */
function variantOf(defs: ResourceMap, plan: Plan, included: ReadonlySet<string>): Variant {
  let byPlan = variants.get(defs)
  if (!byPlan) variants.set(defs, (byPlan = new Map()))
  let byKey = byPlan.get(plan)
  if (!byKey) byPlan.set(plan, (byKey = new Map()))
  const shown: number[] = []
  plan.slots.forEach((slot, i) => {
    if (!slot.optional || included.has(slot.name)) shown.push(i)
  })
  const key = shown.join()
  let variant = byKey.get(key)
  if (!variant) byKey.set(key, (variant = { shown, serializer: serializerOf(defs, plan, shown) }))
  return variant
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

/**
 * Completes what ts-japi made of one entry, in place (the objects are this document's own): a
 * relationship with `typeOf` gets the row's own type (ts-japi links a relationship to one type),
 * `fields[TYPE]` applies, and the definition's meta is added.
 */
function finish(e: Entry, fields: Map<string, Set<string>>): ResourceObject {
  const resource = e.resource!
  for (const { name, rel } of e.plan.variablyTyped) {
    const linkage = resource.relationships?.[name]?.data
    if (linkage && !Array.isArray(linkage)) linkage.type = rel.typeOf!(e.row)
  }
  const allowed = fields.get(resource.type)
  if (allowed) project(resource, allowed)
  const meta = e.plan.def.meta?.(e.row)
  if (meta) resource.meta = meta
  return resource
}

/** Serialises entries with ts-japi, each Variant's by its own Serializer, and gives each its resource. */
async function serializeEntries(entries: Entry[], ctx: SerializeContext): Promise<void> {
  const byVariant = new Map<Variant, Entry[]>()
  for (const e of entries) {
    const list = byVariant.get(e.variant)
    if (list) list.push(e)
    else byVariant.set(e.variant, [e])
  }
  for (const [variant, list] of byVariant) {
    const document = await variant.serializer.serialize(list.map(e => view(e, ctx)))
    const made = document.data as unknown as ResourceObject[]
    list.forEach((e, i) => (e.resource = made[i]))
  }
}

/**
 * The included entries in the order ts-japi's include walk put them, which clients saw before each
 * type got a Serializer of its own, and which depends only on the document's linkage (the order preload
 * finds rows in is the database's): breadth first, one depth of the include paths at a time; within a
 * depth, relationship by relationship (in their definitions' order, as the parents at that depth first
 * named them), each relationship's rows in its parents' order, each row at its first appearance. Like the
 * walk, a depth takes the relationships named at that depth by any path. Rows preload loaded that the walk
 * would not reach come last, in preload's order.
 */
function includedOrder(defs: ResourceMap, def: AnyDef, loaded: Loaded, include: string[]): Entry[] {
  const paths = include.map(path => path.split('.'))
  const depths = Math.max(0, ...paths.map(path => path.length))
  /** The relationships named at each depth, and those of them a path goes deeper from. */
  const named: Set<string>[] = []
  const deeper: Set<string>[] = []
  for (let depth = 0; depth <= depths; depth++) {
    named.push(new Set())
    deeper.push(new Set())
  }
  for (const path of paths) {
    path.forEach((name, depth) => {
      named[depth]!.add(name)
      if (depth < path.length - 1) deeper[depth]!.add(name)
    })
  }
  /** One relationship's related ids, from every parent at one depth, in the parents' order. */
  type Batch = { name: string; type: string; ids: string[] }
  /** Each depth's relationships of a definition, by slot position. */
  const slotsNamed = named.map(() => new Map<Plan, number[]>())
  /**
   * Adds the ids `parent` links through each relationship named at `depth` to `batches`, in the order the
   * batches were first made. A parent the database did not answer for makes its batches all the same.
   */
  const link = (
    batches: Map<string, Batch>,
    depth: number,
    parentDef: AnyDef | undefined,
    parent: Entry | undefined,
  ) => {
    if (!parentDef) return
    const plan = planOf(parentDef)
    let positions = slotsNamed[depth]!.get(plan)
    if (!positions) {
      positions = plan.slots.flatMap((slot, i) => (named[depth]!.has(slot.name) ? [i] : []))
      slotsNamed[depth]!.set(plan, positions)
    }
    for (const i of positions) {
      const slot = plan.slots[i]!
      let batch = batches.get(slot.batchKey)
      // Named by the relationship's declared type, as the walk named them; a row of another type is only linked.
      if (!batch) batches.set(slot.batchKey, (batch = { name: slot.name, type: slot.rel.type, ids: [] }))
      const links = parent?.links[i]
      if (Array.isArray(links)) for (const { id } of links) batch.ids.push(id)
      else if (links) batch.ids.push(links.id)
    }
  }
  const seen = new Map<string, Set<string>>([[def.type, new Set(loaded.primary.map(e => e.id))]])
  const order: Entry[] = []
  let batches = new Map<string, Batch>()
  for (const e of loaded.primary) link(batches, 0, def, e)
  for (let depth = 0; depth < depths; depth++) {
    const next = new Map<string, Batch>()
    for (const { name, type, ids } of batches.values()) {
      let seenOfType = seen.get(type)
      if (!seenOfType) seen.set(type, (seenOfType = new Set()))
      const ofType = loaded.included.get(type)
      const goesDeeper = deeper[depth]!.has(name)
      for (const id of ids) {
        if (seenOfType.has(id)) continue
        seenOfType.add(id)
        const e = ofType?.get(id)
        if (e) order.push(e)
        if (goesDeeper) link(next, depth + 1, defs[type], e)
      }
    }
    batches = next
  }
  if (order.length === loaded.found.length) return order
  const placed = new Set(order)
  for (const e of loaded.found) if (!placed.has(e)) order.push(e)
  return order
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
 * Serializers: its include walk would build every related resource once per parent that links it,
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
  const def = definition(defs, type)
  const rows = Array.isArray(data) ? data : data === null || data === undefined ? [] : [data]
  const include = options.include ?? []
  const loaded = await preload(tx, defs, def, rows, include, ctx.supplierId ?? null)
  const fields = options.fields ?? new Map<string, Set<string>>()

  await serializeEntries(loaded.primary, ctx)
  const primary = loaded.primary.map(e => finish(e, fields))
  const document: Record<string, unknown> = {
    jsonapi: { version: '1.1' },
    data: Array.isArray(data) ? primary : (primary[0] ?? null),
  }
  if (include.length) {
    await serializeEntries(loaded.found, ctx)
    document.included = includedOrder(defs, def, loaded, include).map(e => finish(e, fields))
  }
  if (options.links) document.links = options.links
  if (options.meta) document.meta = options.meta
  return document
}
