import { expect } from 'chai'
import {
  journeyFailure,
  metresBetween,
  moveFailure,
  outsideJourney,
  summariseTrack,
  type TrackPoint,
} from '../../lib/gps/rules'

const at = (seconds: number) => new Date(Date.UTC(2031, 0, 1, 10) + seconds * 1000)
const point = (latitude: number, longitude: number, seconds = 0): TrackPoint => ({
  latitude,
  longitude,
  recordedAt: at(seconds),
})

describe('GPS rules: distance and gaps on known tracks', () => {
  it('when two points are a degree apart on the equator, then they are 111,195 m apart (2πR/360, R = 6,371,008.8 m)', () => {
    expect(metresBetween(point(0, 0), point(0, 1))).to.be.closeTo(111_195.08, 0.01)
    expect(metresBetween(point(0, 0), point(1, 0))).to.be.closeTo(111_195.08, 0.01)
  })

  it('when the points are London and Paris, then the great circle is about 343.5 km', () => {
    expect(metresBetween(point(51.5074, -0.1278), point(48.8566, 2.3522))).to.be.closeTo(343_560, 500)
  })

  it('when a track goes round a square of 0.01 degree at the equator, then its length is four sides', () => {
    const square = [point(0, 0, 0), point(0, 0.01, 10), point(0.01, 0.01, 20), point(0.01, 0, 30), point(0, 0, 40)]
    const summary = summariseTrack(square)
    expect(summary.distanceMetres).to.be.closeTo(4 * 1_111.95, 0.5)
    expect(summary).to.deep.include({ pointCount: 5, largestGapSeconds: 10, gaps: [] })
  })

  it('when consecutive points are 10, 60, 61 and 9 s apart, then the largest gap is 61 s and only it is over the limit', () => {
    const track = [0, 10, 70, 131, 140].map(s => point(51.5, -0.1, s))
    const summary = summariseTrack(track)
    expect(summary.largestGapSeconds).to.equal(61)
    expect(summary.gaps).to.deep.equal([{ from: 2, seconds: 61 }])
    expect(summary.distanceMetres).to.equal(0)
    expect(journeyFailure(summary)).to.equal('gps_data_gap')
  })

  it('when the largest gap is exactly 60 s, then the journey passes; with sub-second times, gaps are fractional', () => {
    expect(journeyFailure(summariseTrack([0, 60, 120].map(s => point(0, 0, s))))).to.equal(null)
    expect(summariseTrack([point(0, 0, 0), point(0, 0, 60.5)]).largestGapSeconds).to.equal(60.5)
  })

  it('when a journey has fewer than 2 points, then it has no distance or gap and fails as no_gps_data', () => {
    for (const track of [[], [point(0, 0)]]) {
      const summary = summariseTrack(track)
      expect(summary).to.deep.include({ distanceMetres: 0, largestGapSeconds: null, gaps: [] })
      expect(journeyFailure(summary)).to.equal('no_gps_data')
    }
  })

  it('when a move has no journeys, then it fails as no_journeys; else as its first failing journey', () => {
    expect(moveFailure([])).to.equal('no_journeys')
    const good = { pointCount: 10, largestGapSeconds: 5 }
    expect(
      moveFailure([good, { pointCount: 10, largestGapSeconds: 90 }, { pointCount: 1, largestGapSeconds: null }]),
    ).to.equal('gps_data_gap')
    expect(moveFailure([good, good])).to.equal(null)
  })

  it('when a point is before the start, of a journey not started, or over 15 minutes after the end, then it is outside', () => {
    const life = { startedAt: at(0), endedAt: at(3600) }
    expect(outsideJourney(at(-1), life)).to.equal(true)
    expect(outsideJourney(at(0), life)).to.equal(false)
    expect(outsideJourney(at(3600 + 15 * 60), life)).to.equal(false)
    expect(outsideJourney(at(3600 + 15 * 60 + 1), life)).to.equal(true)
    expect(outsideJourney(at(10), { startedAt: null, endedAt: null })).to.equal(true)
    expect(outsideJourney(at(999_999), { startedAt: at(0), endedAt: null })).to.equal(false)
  })
})
