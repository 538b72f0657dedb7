// The simulator's HTTP plumbing: the Noark media type, replies and errors in the Noark error shape, request
// checks (Accept, Content-Type, JSON bodies), fault injection, and the route wrapper that records every request.
import type { Request, Response } from 'express';
import { ValidationError } from './store';

export const MEDIA_TYPE = 'application/vnd.noark5+json';
export const REL = 'https://rel.arkivverket.no/noark5/v5/api/';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Reply {
  status: number;
  json?: unknown;
  raw?: { content: Buffer; contentType: string };
  headers?: Record<string, string>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Answer with no body at all, as the real server does for 406. */
    readonly empty = false,
  ) {
    super(message);
  }
}

export interface Fault {
  /** Route kind to match, e.g. `create:journalpost`, `upload`, `search:dokumentbeskrivelse`; all when unset. */
  kind?: string;
  method?: string;
  /** Answer with this status (e.g. 500, 503). Without it the fault only delays. */
  status?: number;
  delayMs?: number;
  /** Perform the request, then answer `status` anyway: the client loses the response to a committed change. */
  afterCommit?: boolean;
  /** Answer HTTP 200 with `{status, message}` in the body, as one server does for some errors (§1.4 point 13). */
  inBody?: boolean;
  /** How many matching requests this fault applies to (default 1). */
  count?: number;
  /** How many matching requests to let through first (default 0). */
  skip?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  kind: string;
}

export class Faults {
  private readonly pending: (Fault & { count: number; skip: number })[] = [];

  inject(fault: Fault) {
    this.pending.push({ ...fault, count: fault.count ?? 1, skip: fault.skip ?? 0 });
  }

  clear() {
    this.pending.splice(0);
  }

  take(method: string, kind: string): Fault | undefined {
    const i = this.pending.findIndex(
      (f) => (!f.kind || f.kind === kind) && (!f.method || f.method.toUpperCase() === method),
    );
    if (i < 0) return undefined;
    const f = this.pending[i]!;
    if (f.skip > 0) {
      f.skip -= 1;
      return undefined;
    }
    f.count -= 1;
    if (f.count <= 0) this.pending.splice(i, 1);
    return f;
  }
}

export const failure = (status: number, message: string, headers: Record<string, string> = {}): Reply => ({
  status,
  json: { status, message },
  headers,
});

function send(res: Response, reply: Reply) {
  res.status(reply.status).set(reply.headers ?? {});
  if (reply.raw) {
    res.set('Content-Type', reply.raw.contentType).end(reply.raw.content);
  } else if (reply.json !== undefined) {
    res.set('Content-Type', `${MEDIA_TYPE}; charset=utf-8`).end(JSON.stringify(reply.json));
  } else res.end();
}

export type Route = (
  kind: string | ((req: Request) => string),
  handler: (req: Request) => Reply | Promise<Reply>,
) => (req: Request, res: Response) => Promise<void>;

/** The route wrapper: records each request, applies faults, turns thrown errors into Noark error replies. */
export function routeWith(faults: Faults, requests: RecordedRequest[]): Route {
  return (kind, handler) => async (req, res) => {
    const k = typeof kind === 'string' ? kind : kind(req);
    const fault = faults.take(req.method, k);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    let reply: Reply;
    if (fault?.status && !fault.afterCommit)
      reply = fault.inBody
        ? { status: 200, json: { status: fault.status, message: 'injected fault' } }
        : failure(fault.status, 'injected fault');
    else {
      try {
        reply = await handler(req);
      } catch (e) {
        if (e instanceof HttpError)
          reply = e.empty
            ? { status: e.status, headers: e.headers }
            : failure(e.status, e.message, e.headers);
        else if (e instanceof ValidationError) reply = failure(400, e.message);
        else reply = failure(500, (e as Error).message);
      }
      if (fault?.status && fault.afterCommit) reply = failure(fault.status, 'injected fault after commit');
    }
    requests.push({ method: req.method, path: req.path, status: reply.status, kind: k });
    send(res, reply);
  };
}

export function requireJsonAccept(req: Request) {
  const accept = req.header('accept');
  if (accept && !/application\/vnd\.noark5\+json|application\/json|\*\/\*|application\/\*/.test(accept))
    throw new HttpError(406, `cannot produce ${accept}; this server speaks ${MEDIA_TYPE}`);
}

/** OIDC discovery is plain JSON (§1.4 point 10): asked for as Noark JSON only, the server answers 406, empty. */
export function requirePlainJsonAccept(req: Request) {
  const accept = req.header('accept');
  if (accept && !/application\/json|\*\/\*|application\/\*/.test(accept))
    throw new HttpError(406, `cannot produce ${accept}`, {}, true);
}

export function jsonBody(req: Request): Record<string, unknown> {
  const type = req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith(MEDIA_TYPE))
    throw new HttpError(415, `Content-Type must be ${MEDIA_TYPE}`);
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'the body is not JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new HttpError(400, 'expected a JSON object');
  return body as Record<string, unknown>;
}
