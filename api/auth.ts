// Every /v1 route runs as one tenant: the one whose API key is presented (`Authorization: Bearer <key>`),
// or, for the admin panel, the tenant of the operator whose session cookie is presented (see api/admin.ts).
import type { Actor } from '../db/audit';
import type { Request, RequestHandler, Response } from 'express';
import type { Db } from '../db/connection';
import { apiKeyFor, type Tenant } from '../db/tenants';
import { sessionFor } from '../db/operators';
import { ApiError } from './errors';
import { isStorable } from './edge';

export const SESSION_COOKIE = 'postgang_admin';
/** Mutating calls with the session cookie must carry this header (a form on another site cannot set it). */
export const CSRF_HEADER = 'x-postgang-admin';

/**
 * A cookie's value; a malformed one (bad percent-encoding, a character that cannot be stored, over 200
 * characters) counts as absent, so it can never break a route: the caller is then simply not logged in.
 */
export function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      let value: string;
      try {
        value = decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
      return value.length <= 200 && isStorable(value) ? value : undefined;
    }
  }
  return undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requireTenant(db: Db): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const session = cookie(req, SESSION_COOKIE);
    if (!header && session) {
      const found = await sessionFor(db, session);
      if (!found) throw new ApiError(401, 'UNAUTHENTICATED', 'the session has expired: log in again');
      if (!SAFE_METHODS.has(req.method) && req.get(CSRF_HEADER) !== '1')
        throw new ApiError(
          403,
          'CSRF_HEADER_MISSING',
          `send the header \`${CSRF_HEADER}: 1\` with the session`,
        );
      res.locals.tenant = found.tenant;
      res.locals.operator = found.operator;
      return next();
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match)
      throw new ApiError(401, 'UNAUTHENTICATED', 'missing API key: send `Authorization: Bearer <key>`');
    const key = await apiKeyFor(db, match[1]!);
    if (!key) throw new ApiError(401, 'UNAUTHENTICATED', 'unknown or revoked API key');
    res.locals.tenant = key.tenant;
    res.locals.apiKeyLabel = key.label;
    next();
  };
}

/** Who is calling, for the audit log: the operator's user name, or the API key's label. */
export function actorOf(res: Response): Actor {
  const operator = res.locals.operator as { username: string } | undefined;
  if (operator) return { kind: 'operator', name: operator.username };
  const label = res.locals.apiKeyLabel as string | undefined;
  if (label === undefined) throw new Error('route is not behind requireTenant');
  return { kind: 'api_key', name: label };
}

/** The caller's tenant, set by `requireTenant`. */
export function tenantOf(res: Response): Tenant {
  const tenant = res.locals.tenant as Tenant | undefined;
  if (!tenant) throw new Error('route is not behind requireTenant');
  return tenant;
}

/** The caller's tenant, which must have an active Digipost agreement (runs and their preview send through it). */
export function tenantWithDigipost(res: Response): Tenant {
  const tenant = tenantOf(res);
  if (tenant.digipostAgreement !== 'ACTIVE')
    throw new ApiError(409, 'NO_DIGIPOST_AGREEMENT', `tenant ${tenant.id} has no active Digipost agreement`);
  return tenant;
}
