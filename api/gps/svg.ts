import type { JourneyTrack } from '../../lib/gps/tracks'
import { outsideJourney } from '../../lib/gps/rules'

export const SVG_MEDIA_TYPE = 'image/svg+xml'

const WIDTH = 800
const MAX_HEIGHT = 600
const PAD = 30
/** One colour per journey, in journey order, then round again; red is kept for gaps. */
const COLOURS = ['#1d70b8', '#00703c', '#4c2c92', '#f47738', '#28a197', '#912b88']
const GAP_COLOUR = '#d4351c'
const OUTSIDE_COLOUR = '#b1b4b6'

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, c => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)

const px = (n: number) => n.toFixed(1)

type Projection = { x: (longitude: number) => number; y: (latitude: number) => number; height: number }

/**
 * An equirectangular projection of the points' bounding box, east-west distances shrunk by the cosine of
 * the middle latitude so that a route keeps its shape at British latitudes (a van's route spans too little
 * of the globe for any other projection to differ visibly).
 */
function project(tracks: readonly JourneyTrack[]): Projection {
  const all = tracks.flatMap(t => t.points)
  const lats = all.map(p => p.latitude)
  const lons = all.map(p => p.longitude)
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)]
  const shrink = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180)
  const spanX = Math.max((maxLon - minLon) * shrink, 1e-9)
  const spanY = Math.max(maxLat - minLat, 1e-9)
  const scale = Math.min((WIDTH - 2 * PAD) / spanX, (MAX_HEIGHT - 2 * PAD) / spanY)
  const height = Math.round(spanY * scale + 2 * PAD)
  return {
    x: longitude => PAD + (longitude - minLon) * shrink * scale + (WIDTH - 2 * PAD - spanX * scale) / 2,
    y: latitude => height - PAD - (latitude - minLat) * scale,
    height,
  }
}

/**
 * The runs of a journey's points between gaps, as SVG points lists. A point closer than half a pixel to
 * the last one drawn adds nothing to the picture and is left out, which keeps a day-long track small.
 */
function runs(track: JourneyTrack, at: Projection): string[] {
  const starts = new Set(track.summary.gaps.map(g => g.from + 1))
  const lines: string[] = []
  let current: [number, number][] = []
  track.points.forEach((p, i) => {
    if (starts.has(i)) {
      lines.push(current.map(([x, y]) => `${px(x)},${px(y)}`).join(' '))
      current = []
    }
    const point: [number, number] = [at.x(p.longitude), at.y(p.latitude)]
    const last = current.at(-1)
    const isLast = i === track.points.length - 1 || starts.has(i + 1)
    if (!last || isLast || Math.hypot(point[0] - last[0], point[1] - last[1]) >= 0.5) current.push(point)
  })
  lines.push(current.map(([x, y]) => `${px(x)},${px(y)}`).join(' '))
  return lines.filter(line => line.includes(' '))
}

/**
 * A move's track as a picture: each journey's route in its own colour with its start (circle) and end
 * (square), gaps over the limit as red dashed lines labelled with their seconds, points outside the
 * journey's life as grey dots. A move without points gets a picture that says so.
 */
export function trackSvg(reference: string, tracks: readonly JourneyTrack[]): string {
  const title = `GPS track of move ${escapeXml(reference)}`
  const withPoints = tracks.filter(t => t.points.length)
  if (!withPoints.length) {
    return [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="120" viewBox="0 0 ${WIDTH} 120" role="img">`,
      `<title>${title}</title>`,
      `<text x="${PAD}" y="60" font-family="sans-serif" font-size="16">No GPS points for move ${escapeXml(reference)}</text>`,
      '</svg>',
    ].join('\n')
  }
  const at = project(withPoints)
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${at.height}" viewBox="0 0 ${WIDTH} ${at.height}" role="img">`,
    `<title>${title}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  ]
  withPoints.forEach((track, n) => {
    const colour = COLOURS[n % COLOURS.length]!
    const { points, summary } = track
    const label = `journey ${track.journey.number}${track.vehicleRegistration ? ` (${track.vehicleRegistration})` : ''}`
    parts.push(`<g class="journey" data-journey-id="${track.journey.id}"><title>${escapeXml(label)}</title>`)
    for (const line of runs(track, at)) {
      parts.push(
        `<polyline class="route" points="${line}" fill="none" stroke="${colour}" stroke-width="3" stroke-linejoin="round"/>`,
      )
    }
    for (const gap of summary.gaps) {
      const [a, b] = [points[gap.from]!, points[gap.from + 1]!]
      const [x1, y1, x2, y2] = [at.x(a.longitude), at.y(a.latitude), at.x(b.longitude), at.y(b.latitude)]
      parts.push(
        `<g class="gap"><title>gap of ${gap.seconds} s</title>` +
          `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}" stroke="${GAP_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>` +
          `<text x="${px((x1 + x2) / 2 + 4)}" y="${px((y1 + y2) / 2 - 4)}" font-family="sans-serif" font-size="12" fill="${GAP_COLOUR}">${gap.seconds} s</text></g>`,
      )
    }
    for (const p of points.filter(p => outsideJourney(p.recordedAt, track.life))) {
      parts.push(
        `<circle class="outside" cx="${px(at.x(p.longitude))}" cy="${px(at.y(p.latitude))}" r="2" fill="${OUTSIDE_COLOUR}"/>`,
      )
    }
    const [first, last] = [points[0]!, points.at(-1)!]
    parts.push(
      `<circle class="start" cx="${px(at.x(first.longitude))}" cy="${px(at.y(first.latitude))}" r="7" fill="${colour}" stroke="#0b0c0c" stroke-width="2"><title>start ${first.recordedAt.toISOString()}</title></circle>`,
      `<rect class="end" x="${px(at.x(last.longitude) - 7)}" y="${px(at.y(last.latitude) - 7)}" width="14" height="14" fill="${colour}" stroke="#0b0c0c" stroke-width="2"><title>end ${last.recordedAt.toISOString()}</title></rect>`,
      '</g>',
    )
  })
  parts.push(
    `<text x="${PAD}" y="18" font-family="sans-serif" font-size="14">${title}: ● start ■ end, red dashes: gaps over 60 s</text>`,
    '</svg>',
  )
  return parts.join('\n')
}
