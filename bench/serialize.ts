/**
 * Micro-benchmark: the cost of serialising one page of 20 version 2 moves with
 * `include=profile.person,from_location,to_location,supplier`, ts-japi (api/jsonapi/document.ts) against
 * the hand-written builder it replaced (lib/jsonapi/document.ts at LEGACY_COMMIT, read from git).
 * Related rows come from memory, so both measure building the document, not the database.
 *
 * Then the bytes each allocates for one page, most of it garbage the moment the response is sent.
 *
 *   npx tsx bench/serialize.ts --runs 5000
 */
import { execFileSync } from 'node:child_process'
import { Session } from 'node:inspector/promises'
import { deepStrictEqual } from 'node:assert'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { Tx } from '../db/client'
import { serialize, type AnyDef, type ResourceMap, type SerializeContext } from '../api/jsonapi/document'
import { resources } from '../api/resources'
import type { MoveRow, PersonRow, ProfileRow } from '../lib/moves/rows'
import type { LocationRow, SupplierRow } from '../lib/reference/rows'

/** The last commit whose documents were built by the hand-written builder. */
const LEGACY_COMMIT = 'c4abd0f'
const INCLUDE = ['profile', 'profile.person', 'from_location', 'to_location', 'supplier']
const PAGE = 20

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5000' } } })
const runs = Number(values.runs)
const root = path.join(__dirname, '..')
const ctx: SerializeContext = { version: 2, baseUrl: 'http://localhost:3000' }
const noDatabase = {} as Tx

const uuid = (n: number, kind: number) => `00000000-0000-4000-8${kind}00-${String(n).padStart(12, '0')}`
const at = new Date('2026-03-02T09:00:00Z')

const suppliers: SupplierRow[] = [{ id: uuid(1, 1), key: 'serco', name: 'Serco' }]
const locations: LocationRow[] = Array.from({ length: 6 }, (_, i) => ({
  id: uuid(i, 2),
  key: `loc${i}`,
  title: `Location ${i}`,
  location_type: i % 2 ? 'prison' : 'court',
  nomis_agency_id: `L${i}`,
  can_upload_documents: false,
  young_offender_institution: false,
  extradition_capable: false,
  disabled_at: null,
  supplier_ids: [suppliers[0]!.id],
}))
const people: PersonRow[] = Array.from({ length: PAGE }, (_, i) => ({
  id: uuid(i, 3),
  first_names: 'Tom',
  last_name: `Jones ${i}`,
  date_of_birth: '1980-01-01',
  gender_id: null,
  ethnicity_id: null,
  gender_additional_information: null,
  prison_number: `A${1000 + i}BC`,
  criminal_records_office: null,
  police_national_computer: null,
  profile_ids: [uuid(i, 4)],
  latest_assessment_answers: null,
}))
const profiles: ProfileRow[] = people.map((p, i) => ({
  id: uuid(i, 4),
  person_id: p.id,
  assessment_answers: [],
  document_ids: [],
}))
const moves: MoveRow[] = Array.from({ length: PAGE }, (_, i) => ({
  id: uuid(i, 5),
  reference: `REF${String(i).padStart(5, '0')}`,
  status: 'requested',
  move_type: 'prison_transfer',
  date: '2026-03-02',
  date_from: null,
  date_to: null,
  time_due: at,
  from_location_id: locations[i % 3]!.id,
  to_location_id: locations[3 + (i % 3)]!.id,
  supplier_id: suppliers[0]!.id,
  profile_id: profiles[i]!.id,
  person_id: people[i]!.id,
  allocation_id: null,
  prison_transfer_reason_id: null,
  original_move_id: null,
  additional_information: null,
  move_agreed: null,
  move_agreed_by: null,
  cancellation_reason: null,
  cancellation_reason_comment: null,
  rejection_reason: null,
  is_lockout: false,
  court_hearing_ids: [],
  created_at: at,
  updated_at: at,
}))

const tables = new Map<string, Map<string, { id: string }>>(
  Object.entries({ suppliers, locations, people, profiles, moves }).map(([type, rows]) => [
    type,
    new Map(rows.map(r => [r.id, r])),
  ]),
)

/** The version 2 resources with every loader answering from memory. */
const inMemory: ResourceMap = Object.fromEntries(
  Object.entries(resources[2] as ResourceMap).map(([type, def]) => [
    type,
    {
      ...def,
      relationships: def.relationships
        ? Object.fromEntries(
            Object.entries(def.relationships).map(([name, rel]) => [
              name,
              {
                ...rel,
                load: async (_tx: Tx, ids: string[]) => ids.flatMap(id => tables.get(rel.type)?.get(id) ?? []),
              },
            ]),
          )
        : undefined,
    } as AnyDef,
  ]),
)

type Legacy = {
  defineResource: (def: unknown) => unknown
  serialize: (tx: Tx, type: string, data: unknown, c: SerializeContext, o: object) => Promise<unknown>
}

/** The replaced builder, read from git, registered with the same in-memory resources. */
async function legacy(): Promise<Legacy> {
  const source = execFileSync('git', ['show', `${LEGACY_COMMIT}:lib/jsonapi/document.ts`], { cwd: root })
    .toString()
    .replace("from '../../db/client'", `from '${path.join(root, 'db/client')}'`)
    .replace("from '../errors'", `from '${path.join(root, 'lib/errors')}'`)
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'legacy-builder-')), 'document.ts')
  fs.writeFileSync(file, source)
  const module = (await import(file)) as Legacy
  for (const def of Object.values(inMemory)) module.defineResource({ ...def, relationships: () => def.relationships })
  return module
}

/** `included` in a stable order: the builders walk relationships in different orders. */
function canonical(document: unknown) {
  const plain = JSON.parse(JSON.stringify(document)) as { included?: { type: string; id: string }[] }
  plain.included?.sort((a, b) => `${a.type}:${a.id}`.localeCompare(`${b.type}:${b.id}`))
  return plain
}

/** Times each builder `runs` times, alternating, so that the load of a shared machine weighs on both alike. */
async function measure(builders: Record<string, () => Promise<unknown>>) {
  const names = Object.keys(builders)
  for (let i = 0; i < Math.min(500, runs); i++) for (const name of names) await builders[name]!()
  const times = new Map<string, number[]>(names.map(name => [name, []]))
  for (let i = 0; i < runs; i++) {
    for (const name of i % 2 ? names : [...names].reverse()) {
      const start = process.hrtime.bigint()
      await builders[name]!()
      times.get(name)!.push(Number(process.hrtime.bigint() - start) / 1e6)
    }
  }
  for (const [name, list] of times) {
    list.sort((a, b) => a - b)
    const q = (p: number) => list[Math.min(list.length - 1, Math.floor(p * list.length))]!.toFixed(3)
    console.log(`${name.padEnd(22)} median ${q(0.5)} ms  p90 ${q(0.9)} ms  p99 ${q(0.99)} ms  (${runs} runs)`)
  }
}

type SamplingNode = { selfSize: number; children: SamplingNode[] }

/**
 * The bytes each builder allocates for one page, garbage included: V8's sampling heap profiler, told to
 * keep the samples of objects the collector has freed, over `pages` pages each (an estimate, one sample
 * every 128 bytes on average).
 */
async function allocation(builders: Record<string, () => Promise<unknown>>, pages: number) {
  const session = new Session()
  session.connect()
  for (const [name, build] of Object.entries(builders)) {
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 128,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    })
    for (let i = 0; i < pages; i++) await build()
    const { profile } = await session.post('HeapProfiler.getSamplingProfile')
    await session.post('HeapProfiler.stopSampling')
    let bytes = 0
    const add = (node: SamplingNode) => {
      bytes += node.selfSize
      node.children.forEach(add)
    }
    add(profile.head as SamplingNode)
    console.log(`${name.padEnd(22)} allocates ${(bytes / pages / 1024).toFixed(1)} KiB a page  (${pages} pages)`)
  }
  session.disconnect()
}

async function main() {
  const old = await legacy()
  const byLegacy = () => old.serialize(noDatabase, 'moves', moves, ctx, { include: INCLUDE })
  const byTsJapi = () => serialize(noDatabase, inMemory, 'moves', moves, ctx, { include: INCLUDE })
  deepStrictEqual(canonical(await byTsJapi()), canonical(await byLegacy()))
  console.log(`page of ${PAGE} moves, include=${INCLUDE.join(',')}: both builders give the same document`)
  await measure({ 'hand-written builder': byLegacy, 'ts-japi': byTsJapi })
  await allocation({ 'hand-written builder': byLegacy, 'ts-japi': byTsJapi }, Math.min(runs, 2000))
}

main().catch(error => {
  console.error(error)
  process.exit(1)
})
