import type { Db } from '../../db/client'
import { addDays } from '../calendar'
import { londonDate, type Clock } from '../clock'
import { gpsQualityReport, storeGpsQualityReport, type GpsQualityReport } from './report'

/**
 * The weekly run: the 7 days ending yesterday (London), as the reference's `gps-data` job takes them,
 * reported and stored in one transaction.
 */
export async function runWeeklyGpsQualityReport(
  db: Db,
  clock: Clock,
): Promise<{ id: string; report: GpsQualityReport }> {
  const dateTo = addDays(londonDate(clock.now()), -1)
  const dateFrom = addDays(dateTo, -6)
  return db.transaction(async tx => {
    const report = await gpsQualityReport(tx, { dateFrom, dateTo })
    return { id: await storeGpsQualityReport(tx, report, clock.now()), report }
  })
}
