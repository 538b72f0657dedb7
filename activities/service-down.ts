// Which failures mean "a service we depend on is down" (retried without limit, the waiting shown to
// operators), as opposed to a failure of one item's data or an unexpected exception (isolated, recorded
// with its reason, never retried without end).
import { SvarInnError } from '../integrations/svarinn';

// SQLSTATE classes: 08 connection exception, 40 transaction rollback (deadlock, serialization),
// 53 insufficient resources, 57 operator intervention (shutdown, statement cancelled).
const SQLSTATE_DOWN = /^(08|40|53|57)[0-9A-Z]{3}$/;
// Node socket errors and postgres.js connection errors.
const NODE_DOWN =
  /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ENOTFOUND|CONNECTION_(CLOSED|ENDED|DESTROYED)|CONNECT_TIMEOUT)$/;
// gRPC status codes from the Temporal client: DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE.
const GRPC_DOWN = new Set([4, 8, 14]);

export function isServiceDown(e: unknown): boolean {
  let c: unknown = e;
  for (let depth = 0; c && depth < 6; depth++) {
    if (c instanceof SvarInnError) return c.kind === 'transient' || c.kind === 'auth';
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && (SQLSTATE_DOWN.test(code) || NODE_DOWN.test(code))) return true;
    if (typeof code === 'number' && GRPC_DOWN.has(code)) return true;
    c = (c as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * A short technical description of an error for an operator-visible reason: no stack, bounded, and for a
 * failed query only PostgreSQL's own words (the query error's message holds the parameters, personal data).
 */
export function errorText(e: unknown): string {
  for (let c: unknown = e, depth = 0; c && depth < 6; depth++, c = (c as { cause?: unknown }).cause) {
    const code = (c as { code?: unknown }).code;
    if (c instanceof Error && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code))
      return `PostgreSQL ${code}: ${c.message}`.slice(0, 500);
  }
  return (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 500);
}
