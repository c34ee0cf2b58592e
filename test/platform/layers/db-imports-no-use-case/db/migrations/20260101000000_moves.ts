import { createMove } from '../../lib/moves'

export const up = createMove
