import { randomInt } from 'node:crypto'

const LETTERS = 'ACEFHJKMNPRTUVWXY'
const DIGITS = '123456789'

const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)]!

/** A move reference as the reference system makes them: 3 letters, 4 digits, 1 letter (e.g. ETJ2483U). */
export function newMoveReference(): string {
  return [LETTERS, LETTERS, LETTERS, DIGITS, DIGITS, DIGITS, DIGITS, LETTERS].map(pick).join('')
}

export const MOVE_REFERENCE = /^[ACEFHJKMNPRTUVWXY]{3}[1-9]{4}[ACEFHJKMNPRTUVWXY]$/
