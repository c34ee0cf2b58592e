import type { Db } from '../../db/client'
import { addDays } from '../../lib/calendar'
import { as, type TestClient } from './app'
import {
  allocationBody,
  assignProfileBody,
  eventBody,
  key,
  uniqueDate,
  journeyBody,
  lodgingBody,
  moveBody,
  personBody,
  profileBody,
} from './bodies'
import type { World } from './world'

/**
 * Builders for the rows a test needs, made over HTTP as a client would (so they pass the same
 * rules), each answering the ids the test goes on with. `by` is the client that makes them: the
 * world's frontend unless given. Every date comes from {@link uniqueDate}, so that tests sharing
 * the world never see each other's moves in a date-filtered list (key and uniqueDate live in
 * ./bodies.ts and are re-exported here).
 */

export { key, uniqueDate }

const locationIds = new Map<string, string>()

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * A seeded location's id by its key (bsi, iwi, lei, brmcc, wmp000...); a location id is answered as
 * it is, so that builders take either. Throws for an unknown key.
 */
export async function location(world: { services: { db: Db } }, locationKey: string): Promise<string> {
  if (UUID.test(locationKey)) return locationKey
  if (!locationIds.has(locationKey)) {
    const row = await world.services.db('locations').where({ key: locationKey }).first('id')
    if (!row) throw new Error(`no seeded location ${locationKey}`)
    locationIds.set(locationKey, row.id as string)
  }
  return locationIds.get(locationKey)!
}

/** A POST with a fresh Idempotency-Key, as `by`, not yet sent: `.send(body)` it and `.expect()`. */
export const post = (world: World, by: TestClient, url: string) =>
  as(world.app, by).post(url).set('Idempotency-Key', key())

/** A PATCH with a fresh Idempotency-Key, as `by`. */
export const patch = (world: World, by: TestClient, url: string) =>
  as(world.app, by).patch(url).set('Idempotency-Key', key())

/** A person (ALEX TESTER unless `attributes` say otherwise); answers its id. */
export async function aPerson(
  world: World,
  options: { by?: TestClient; attributes?: Record<string, unknown> } = {},
): Promise<string> {
  const res = await post(world, options.by ?? world.frontend, '/api/people')
    .send(personBody(options.attributes))
    .expect(201)
  return res.body.data.id as string
}

/** A profile of `personId` (a fresh person when not given); answers its id. */
export async function aProfile(world: World, options: { by?: TestClient; personId?: string } = {}): Promise<string> {
  const by = options.by ?? world.frontend
  const personId = options.personId ?? (await aPerson(world, { by }))
  const res = await post(world, by, `/api/people/${personId}/profiles`).send(profileBody()).expect(201)
  return res.body.data.id as string
}

export type MoveOptions = {
  by?: TestClient
  /** requested (the default) or proposed: a proposed move is dated by `date_from`. */
  status?: 'proposed' | 'requested'
  /** Seeded location keys or location ids: bsi (Brinsford, geoamey's) to iwi (Isle of Wight) unless given. */
  from?: string
  /** null for a move with no destination (a video remand). */
  to?: string | null
  date?: string
  /** prison_transfer unless given. */
  moveType?: string
  /** The profile to move; a fresh person's when not given. */
  profileId?: string
  /** Further attributes of the create body. */
  attributes?: Record<string, unknown>
}

/** A move created over HTTP (POST /api/moves), a fresh person's unless `profileId` is given; answers its id, profile and date. */
export async function aMove(
  world: World,
  options: MoveOptions = {},
): Promise<{ id: string; profileId: string; date: string }> {
  const by = options.by ?? world.frontend
  const profileId = options.profileId ?? (await aProfile(world, { by }))
  const date = options.date ?? uniqueDate()
  const status = options.status ?? 'requested'
  const moveType = options.moveType ?? 'prison_transfer'
  const attributes =
    status === 'proposed'
      ? { move_type: moveType, status, date_from: date, ...options.attributes }
      : { move_type: moveType, status, date, ...options.attributes }
  const res = await post(world, by, '/api/moves')
    .send(
      moveBody(attributes, {
        from: await location(world, options.from ?? 'bsi'),
        to: options.to === null ? undefined : await location(world, options.to ?? 'iwi'),
        profile: profileId,
      }),
    )
    .expect(201)
  return { id: res.body.data.id as string, profileId, date }
}

/**
 * A lifecycle event on a move (accept, start, complete, cancel, approve, reject, lockouts,
 * redirects), as `by`, not yet awaited: `.expect(204)` it.
 */
export function moveEvent(
  world: World,
  by: TestClient,
  moveId: string,
  event: string,
  attributes: Record<string, unknown> = {},
  relationships?: Record<string, unknown>,
) {
  return post(world, by, `/api/moves/${moveId}/${event}`).send(eventBody(event, attributes, relationships))
}

/** A move accepted and started by `by` (the supplier's client, usually): under way, as lodgings and lockouts need. */
export async function aMoveUnderWay(world: World, options: MoveOptions = {}) {
  const by = options.by ?? world.frontend
  const move = await aMove(world, { ...options, by })
  await moveEvent(world, by, move.id, 'accept').expect(204)
  await moveEvent(world, by, move.id, 'start').expect(204)
  return move
}

/** Assigns `profileId` to the move (null takes it off), as `by`; not yet awaited. */
export const assignProfile = (world: World, by: TestClient, moveId: string, profileId: string | null) =>
  patch(world, by, `/api/moves/${moveId}`).send(assignProfileBody(moveId, profileId))

/**
 * An allocation created over HTTP (two adult male moves, Brinsford to Isle of Wight, on a date of
 * its own unless given; `from` and `to` are location keys or ids); answers its id, date and its
 * moves' ids.
 */
export async function anAllocation(
  world: World,
  options: { by?: TestClient; date?: string; from?: string; to?: string; attributes?: Record<string, unknown> } = {},
): Promise<{ id: string; date: string; moveIds: string[] }> {
  const date = options.date ?? uniqueDate()
  const body = allocationBody(
    { date, ...options.attributes },
    { from: await location(world, options.from ?? 'bsi'), to: await location(world, options.to ?? 'iwi') },
  )
  const res = await post(world, options.by ?? world.frontend, '/api/allocations')
    .send(body)
    .expect(201)
  return {
    id: res.body.data.id as string,
    date: (options.attributes?.date as string | undefined) ?? date,
    moveIds: (res.body.data.relationships.moves.data as { id: string }[]).map(m => m.id),
  }
}

/** A proposed journey on the move between two seeded locations (bsi to iwi unless given); answers the created resource. */
export async function aJourney(
  world: World,
  moveId: string,
  options: { by?: TestClient; from?: string; to?: string; attributes?: Record<string, unknown> } = {},
): Promise<{ id: string; attributes: Record<string, unknown> }> {
  const res = await post(world, options.by ?? world.frontend, `/api/moves/${moveId}/journeys`)
    .send(
      journeyBody(
        await location(world, options.from ?? 'bsi'),
        await location(world, options.to ?? 'iwi'),
        options.attributes,
      ),
    )
    .expect(201)
  return res.body.data
}

/**
 * A planned lodging on the move at a seeded location (brmcc unless given) from `start` (the move's
 * date unless given) for `nights` nights (1 unless given); answers the created resource.
 */
export async function aLodging(
  world: World,
  move: { id: string; date: string },
  options: { by?: TestClient; at?: string; start?: string; nights?: number } = {},
): Promise<{ id: string; attributes: Record<string, unknown>; relationships: Record<string, { data: unknown }> }> {
  const start = options.start ?? move.date
  const res = await post(world, options.by ?? world.frontend, `/api/moves/${move.id}/lodgings`)
    .send(lodgingBody(await location(world, options.at ?? 'brmcc'), start, addDays(start, options.nights ?? 1)))
    .expect(201)
  return res.body.data
}

let stations = 0
/**
 * A police station no supplier serves and with no NOMIS agency id, added by the world's admin over
 * HTTP: a move from it has no supplier. Answers its id.
 */
export async function anUnservedPoliceStation(world: World): Promise<string> {
  const res = await post(world, world.admin, '/api/reference/locations')
    .send({
      data: {
        type: 'locations',
        attributes: {
          key: `unserved_${process.pid}_${++stations}`,
          title: 'Unserved Police Station',
          location_type: 'police',
        },
      },
    })
    .expect(201)
  return res.body.data.id as string
}

/**
 * A POST /api/moves with these attributes and relationships (already in `{ data: … }` form), as
 * `by`, not yet awaited: for tests about the create itself.
 */
export const postMove = (world: World, by: TestClient, attributes: object, relationships: object) =>
  post(world, by, '/api/moves').send({ data: { type: 'moves', attributes, relationships } })

const prisonerNumbers = { next: 0 }

/**
 * A prisoner received into our prisoner records (POST /nomisapi/admin/receptions, at Leeds unless
 * `attributes` say otherwise) under a NOMS id of this run's own, and the Book a Secure Move person
 * imported from that record (GET /api/people by prison number); answers both.
 */
export async function aPrisoner(
  world: World,
  attributes: Record<string, unknown> = {},
): Promise<{ nomsId: string; personId: string }> {
  prisonerNumbers.next += 1
  const digits = String((process.pid * 7 + prisonerNumbers.next) % 10000).padStart(4, '0')
  const letters = String.fromCharCode(65 + (prisonerNumbers.next % 26), 65 + (Math.floor(Date.now() / 1000) % 26))
  const nomsId = `Y${digits}${letters}`
  const admin = await world.clientWith({ roles: ['records-admin'] })
  await as(world.app, admin)
    .post('/nomisapi/admin/receptions')
    .send({
      noms_id: nomsId,
      prison_id: 'LEI',
      given_name: 'SAM',
      surname: 'RECORDED',
      date_of_birth: '1990-02-03',
      ...attributes,
    })
    .expect(201)
  const people = await as(world.app, world.frontend).get(`/api/people?filter[prison_number]=${nomsId}`).expect(200)
  return { nomsId, personId: people.body.data[0].id as string }
}

/** The smallest files of the kinds documents may be, by their first bytes (lib/documents sniffContentType). */
export const FILES = {
  pdf: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
  png: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(24)]),
}

/** Uploads `content` as `filename` (POST /api/documents, multipart), as `by`; not yet awaited. */
export const upload = (world: World, by: TestClient, content: Buffer, filename = 'warrant.pdf') =>
  post(world, by, '/api/documents').attach('data[attributes][file]', content, { filename })

/** A document uploaded by `by` (a PDF unless `content` is given); answers its id. */
export async function aDocument(world: World, options: { by?: TestClient; content?: Buffer } = {}): Promise<string> {
  const res = await upload(world, options.by ?? world.frontend, options.content ?? FILES.pdf).expect(201)
  return res.body.data.id as string
}

/** Sets the profile's documents through its `documents` relationship (PATCH), as `by`; not yet awaited. */
export function setDocuments(world: World, by: TestClient, personId: string, profileId: string, ids: string[]) {
  return patch(world, by, `/api/people/${personId}/profiles/${profileId}`).send({
    data: {
      type: 'profiles',
      id: profileId,
      relationships: { documents: { data: ids.map(id => ({ type: 'documents', id })) } },
    },
  })
}
