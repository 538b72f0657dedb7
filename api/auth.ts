// Every /v1 route runs as one tenant: the one whose API key is presented (`Authorization: Bearer <key>`).
import type { RequestHandler, Response } from 'express';
import type { Db } from '../db/connection';
import { tenantForApiKey, type Tenant } from '../db/tenants';
import { ApiError } from './errors';

export function requireTenant(db: Db): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match)
      throw new ApiError(401, 'UNAUTHENTICATED', 'missing API key: send `Authorization: Bearer <key>`');
    const tenant = await tenantForApiKey(db, match[1]!);
    if (!tenant) throw new ApiError(401, 'UNAUTHENTICATED', 'unknown or revoked API key');
    res.locals.tenant = tenant;
    next();
  };
}

/** The caller's tenant, set by `requireTenant`. */
export function tenantOf(res: Response): Tenant {
  const tenant = res.locals.tenant as Tenant | undefined;
  if (!tenant) throw new Error('route is not behind requireTenant');
  return tenant;
}
