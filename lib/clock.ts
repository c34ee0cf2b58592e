/** The only source of "now" below api/: tests inject a fixed or stepping clock. */
export type Clock = { now(): Date }

export const systemClock: Clock = { now: () => new Date() }

export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void; advance(ms: number): void } {
  let current = new Date(at)
  return {
    now: () => new Date(current),
    set: next => {
      current = new Date(next)
    },
    advance: ms => {
      current = new Date(current.getTime() + ms)
    },
  }
}

const londonDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** "Today" is a London calendar date, whatever the server's time zone. */
export function londonToday(clock: Clock): string {
  return londonDate(clock.now())
}

/** The London calendar date (YYYY-MM-DD) of an instant. */
export function londonDate(at: Date): string {
  return londonDateFormat.format(at)
}
