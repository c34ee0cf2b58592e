import type { NextFunction, Request, Response } from 'express'
import { DomainError } from '../lib/errors'
import type { MatchedOperation } from './operationMatch'

/**
 * Authorisation before validation: the roles an operation declares in openapi.yaml (`x-roles`, any
 * one of them) are checked once the client is authenticated and before its body is parsed or its
 * parameters validated, so that a client without the role learns nothing from a 400 or 404 and gets
 * the same 403 whatever it sends.
 */
export function requireOperationRoles(match: (method: string, path: string) => MatchedOperation | undefined) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const roles = match(req.method, req.baseUrl + req.path)?.operation['x-roles']
    if (roles?.length && !roles.some(role => req.apiClient?.roles.includes(role))) {
      throw new DomainError('forbidden', `This request needs a client with the ${roles.join(' or ')} role`)
    }
    next()
  }
}
