import { clock } from '../lib/clock'

export const now = clock
