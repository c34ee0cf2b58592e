import type { Request } from 'express'

export const path = (req: Request) => req.path
