import { contentDisposition } from '../../lib/documents/disposition'
import { createDocument, documentContent, findDocument } from '../../lib/documents/documents'
import type { Services } from '../../lib/services'
import { client, jsonApiResponse, serializeContext, write, type HandlerTable } from '../context'
import { serialize } from '../resources'

/**
 * Documents (issue #21): the upload (multipart, parsed by api/setUpMultipart before the write path
 * claims the idempotency key), the document, and its file.
 */
export function documentHandlers(services: Services): HandlerTable {
  const { db, clock } = services
  return {
    createDocument: write(async (req, w) => {
      const document = await createDocument(w, req.uploadedFile, client(req), clock.now())
      const ctx = serializeContext(req)
      return jsonApiResponse(201, await serialize(w.tx, 'documents', document, ctx), {
        Location: `${ctx.baseUrl}/api/documents/${document.id}`,
      })
    }),

    getDocument: async (req, res) => {
      const document = await findDocument(db, String(req.params.id), client(req))
      res.json(await serialize(db, 'documents', document, serializeContext(req)))
    },

    downloadDocument: async (req, res) => {
      const document = await documentContent(db, String(req.params.id), client(req))
      res.status(200)
      res.setHeader('Content-Type', document.content_type)
      res.setHeader('Content-Length', String(document.filesize))
      res.setHeader('Content-Disposition', contentDisposition(document.filename))
      res.setHeader('X-Content-Type-Options', 'nosniff')
      res.end(document.content)
    },
  }
}
