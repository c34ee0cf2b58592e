import type { DocumentRow } from '../../lib/documents/documents'
import type { ResourceDef } from '../jsonapi/document'

/** A stored document: what it is and where to download it (GET /api/documents/{id}/file), never its bytes. */
export const documentResource: ResourceDef<DocumentRow> = {
  type: 'documents',
  attributes: (row, ctx) => ({
    url: `${ctx.baseUrl}/api/documents/${row.id}/file`,
    filename: row.filename,
    filesize: row.filesize,
    content_type: row.content_type,
    created_at: row.created_at.toISOString(),
  }),
}
