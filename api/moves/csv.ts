import { once } from 'node:events'
import type { Request, Response } from 'express'
import { movesCsv } from '../../lib/moves/csvExport'
import type { Services } from '../../lib/services'
import { client, type HandlerTable } from '../context'
import { searchFilter } from '../jsonapiBody'
import { parseMoveFilter } from './moves'

/** The filter of an export's body: the moves list's search body, or every move when no body is sent. */
function exportFilter(req: Request) {
  const body = req.body as { data?: unknown } | undefined
  return parseMoveFilter(body?.data ? searchFilter(req) : {})
}

/**
 * Writes `chunk`, waiting for the client to take what was sent before when its buffer is full; answers
 * whether the client is still there. A response already closed (the client hung up) is not written to:
 * its 'close' has gone by and no 'drain' will come, so waiting for either would hold the export forever.
 */
export async function writeChunk(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed) return false
  if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')])
  return !res.destroyed
}

/**
 * POST /api/moves/csv (issue #21): the moves list as CSV, streamed page by page (lib/moves/csvExport).
 * The first page is read before the headers go out, so a failure there is still an error document;
 * a failure later can only cut the download short, which the client sees as an incomplete transfer.
 * A client that goes away stops the walk at the next page.
 */
export function csvHandlers(services: Services): HandlerTable {
  return {
    exportMovesCsv: async (req, res) => {
      const pages = movesCsv(services.db, exportFilter(req), client(req).supplierId)
      // The header row, then the first page: read before anything is sent.
      const opening = [await pages.next(), await pages.next()]
      res.status(200)
      res.setHeader('Content-Type', 'text/csv; charset=utf-8')
      res.setHeader('Content-Disposition', 'attachment; filename="moves.csv"')
      res.setHeader('Cache-Control', 'no-store')
      try {
        let present = true
        for (const chunk of opening) if (present && !chunk.done) present = await writeChunk(res, chunk.value)
        if (present) {
          for await (const chunk of pages) if (!(await writeChunk(res, chunk))) break
        }
        res.end()
      } catch (err) {
        services.log.error({ err }, 'CSV export failed part way; the download is cut short')
        res.destroy()
      }
    },
  }
}
