import { move } from '../machines/move'

export const machine = move
