import { setup } from 'xstate'

export const move = setup({}).createMachine({ initial: 'requested', states: { requested: {} } })
