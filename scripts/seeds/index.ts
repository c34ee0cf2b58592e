import type { Knex } from 'knex'
import type { Queue } from '../../lib/queue/queue'
import { writeWith, type Write, type WriteServices } from '../../lib/write'
import { seedPrisoners } from './prisoners'
import { seedReferenceData } from '../../db/seeds/referenceData'
import { seedWalkthroughPrisoner } from '../../db/seeds/walkthroughPrisoner'
import { seedVisits } from './visits'

/**
 * Demo data, loaded once into an empty database: each step runs in the same transaction, so a
 * crash half-way leaves the database empty and the next start tries again.
 */
const steps: { name: string; run: (w: Write) => Promise<void> }[] = [
  { name: 'reference data', run: w => seedReferenceData(w.tx) },
  { name: 'walkthrough prisoner', run: w => seedWalkthroughPrisoner(w.tx) },
  { name: 'visit allocation', run: w => seedVisits(w.tx) },
  { name: 'prisoner records', run: seedPrisoners },
]

export async function isEmpty(db: Knex): Promise<boolean> {
  const row = await db('suppliers').count<{ count: number }[]>('* as count').first()
  return Number(row?.count ?? 0) === 0
}

/**
 * Loads the demo data into an empty database; false when it already has data. The prisoner
 * records are written through the records use cases, which publish their domain events on the
 * queue in the same transaction: the queue and its queues are created (started) first.
 */
export async function seedDemoData(db: Knex, services: WriteServices & { queue: Queue }): Promise<boolean> {
  if (!(await isEmpty(db))) return false
  await services.queue.start()
  await db.transaction(async tx => {
    const w = writeWith(services, tx)
    for (const step of steps) await step.run(w)
  })
  return true
}
