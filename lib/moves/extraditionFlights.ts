import type { Tx } from '../../db/client'
import { DomainError, attribute } from '../errors'
import type { Write } from '../write'
import { findMove } from './moves'

/** The flight that takes an extradition move's person abroad. */
export type ExtraditionFlightRow = {
  id: string
  move_id: string
  flight_number: string
  flight_time: Date
  created_at: Date
  updated_at: Date
}

type Client = { id: string; supplierId: string | null }

const COLUMNS = ['id', 'move_id', 'flight_number', 'flight_time', 'created_at', 'updated_at']

/** The flight of a move the client may see: 404 for a move it cannot see or one with no flight. */
export async function findExtraditionFlight(tx: Tx, moveId: string, client: Client): Promise<ExtraditionFlightRow> {
  await findMove(tx, moveId, client.supplierId)
  const row = (await tx('extradition_flights').where({ move_id: moveId }).first(COLUMNS)) as
    ExtraditionFlightRow | undefined
  if (!row) throw new DomainError('not_found', `Couldn't find ExtraditionFlight for Move with 'id'=${moveId}`)
  return row
}

/**
 * Records the flight of an extradition move (the client's write scope is checked at the edge). A
 * move of another type has no flight (422 at move_type); a move has one flight, so a second is 422
 * `taken` naming the first, which PATCH changes. The move's row is locked so two first flights
 * cannot both be taken.
 */
export async function createExtraditionFlight(
  w: Write,
  moveId: string,
  input: { flight_number: string; flight_time: string },
  client: Client,
  now: Date,
): Promise<ExtraditionFlightRow> {
  const { tx } = w
  const move = await findMove(tx, moveId, client.supplierId)
  if (move.move_type !== 'extradition') {
    throw new DomainError(
      'unprocessable_entity',
      `An extradition flight needs an extradition move, not ${move.move_type}`,
      {
        subject: attribute('move_type'),
        meta: { move_type: move.move_type },
      },
    )
  }
  await tx('moves').where({ id: moveId }).forUpdate().first('id')
  const existing = (await tx('extradition_flights').where({ move_id: moveId }).first('id')) as
    { id: string } | undefined
  if (existing) {
    throw new DomainError('taken', 'The move already has an extradition flight', {
      subject: attribute('flight_number'),
      meta: { existing_id: existing.id },
    })
  }
  const row = {
    id: crypto.randomUUID(),
    move_id: moveId,
    flight_number: input.flight_number,
    flight_time: new Date(input.flight_time),
    created_at: now,
    updated_at: now,
  }
  await tx('extradition_flights').insert(row)
  return row
}

/** Changes the flight number or time of the move's flight; 404 when it has none. */
export async function updateExtraditionFlight(
  w: Write,
  moveId: string,
  input: { flight_number?: string; flight_time?: string },
  client: Client,
  now: Date,
): Promise<ExtraditionFlightRow> {
  const { tx } = w
  const flight = await findExtraditionFlight(tx, moveId, client)
  const changes = {
    ...(input.flight_number !== undefined ? { flight_number: input.flight_number } : {}),
    ...(input.flight_time !== undefined ? { flight_time: new Date(input.flight_time) } : {}),
  }
  if (!Object.keys(changes).length) return flight
  await tx('extradition_flights')
    .where({ id: flight.id })
    .update({ ...changes, updated_at: now })
  return { ...flight, ...changes, updated_at: now }
}
