import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { DomainError, attribute } from '../errors'
import { findLocation } from './locations'
import type { LocationRow } from './rows'

export type NewLocation = {
  key: string
  title: string
  location_type: string
  nomis_agency_id?: string | null
  can_upload_documents?: boolean
  young_offender_institution?: boolean
  extradition_capable?: boolean
  supplierIds: string[]
}

export async function createLocation(tx: Knex.Transaction, input: NewLocation): Promise<LocationRow> {
  const { supplierIds, ...attributes } = input
  const suppliers = supplierIds.length ? await tx('suppliers').whereIn('id', supplierIds).pluck('id') : []
  const missing = supplierIds.filter(id => !suppliers.includes(id))
  if (missing.length) throw new DomainError('not_found', `Couldn't find Supplier with 'id'=${missing[0]}`)
  const id = randomUUID()
  const inserted = await tx('locations')
    .insert({ id, ...attributes })
    .onConflict('key')
    .ignore()
    .returning('id')
  if (!inserted.length) {
    throw new DomainError('taken', 'Key has already been taken', { subject: attribute('key') })
  }
  if (supplierIds.length) {
    await tx('locations_suppliers').insert(supplierIds.map(supplier_id => ({ location_id: id, supplier_id })))
  }
  return (await findLocation(tx, id))!
}
