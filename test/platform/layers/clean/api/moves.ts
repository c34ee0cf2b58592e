import type { Request } from 'express'
import { machine } from '../lib/moves'

export const handle = (req: Request) => [req.path, machine.id]
