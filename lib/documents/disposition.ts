/**
 * A `Content-Disposition: attachment` header for a file named `filename` (RFC 6266): an ASCII fallback
 * with anything outside printable ASCII, quotes and backslashes replaced, and the exact name as UTF-8
 * in `filename*` (RFC 8187), so that a client's name with any characters downloads under that name and
 * cannot break the header.
 */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_') || 'document'
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`
}
