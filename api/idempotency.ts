// Idempotent creating POSTs: a case system that repeats a request (after a timeout, a lost answer) with the same
// `Idempotency-Key` header gets the first answer again, so it never creates a second letter, run or
// subscription. One middleware, mounted once for every POST under /v1 (api/app.ts):
//
// - The key (1–255 visible ASCII characters) is stored per tenant with a SHA-256 of the request (method, path
//   and query, canonical JSON body). The database decides who runs the request: the first request inserts the
//   key (insert … on conflict do nothing on the primary key (tenant, key)); every other one finds it taken.
// - The same key with the same request: the stored answer (same status, same body, same Location) with the
//   header `Idempotent-Replayed: true`. While the first request still runs, a duplicate WAITS for its answer
//   (up to IDEMPOTENCY_WAIT_MS), then gets 409 IDEMPOTENCY_KEY_IN_PROGRESS.
// - The same key with another request: 409 IDEMPOTENCY_KEY_REUSED.
// - Only successful answers (2xx) are kept. An error answer frees the key, so the corrected request may be sent
//   again with the same key. A request whose process died mid-way keeps its key IN_PROGRESS until it expires:
//   its outcome is unknown, and running it again could create the letter twice.
// - Keys expire IDEMPOTENCY_TTL_HOURS after their first use; expired keys of the tenant are deleted when the
//   tenant next claims a key (at most 100 at a time), so the table holds about one day of keys.
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/connection';
import { idempotencyKeys } from '../db/schema';
import { tenantOf } from './auth';
import { ApiError } from './errors';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
export const IDEMPOTENCY_TTL_HOURS = 24;
/** How long a duplicate waits for the first request's answer before 409 IDEMPOTENCY_KEY_IN_PROGRESS. */
export const IDEMPOTENCY_WAIT_MS = 15_000;
/** Visible ASCII (0x21–0x7E), as the OpenAPI document publishes it. */
export const IDEMPOTENCY_KEY_PATTERN = /^[!-~]{1,255}$/;

/** JSON with object keys sorted at every level: the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

export function requestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method}\n${url}\n${canonicalJson(body)}`)
    .digest('hex');
}

function keyError(problem: string): ApiError {
  return new ApiError(400, 'VALIDATION_FAILED', `${IDEMPOTENCY_HEADER}: ${problem}`, [
    { field: IDEMPOTENCY_HEADER, in: 'header', problem },
  ]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function idempotency(db: Db, { waitMs = IDEMPOTENCY_WAIT_MS } = {}): RequestHandler {
  const expired = sql`now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`;

  /** Takes the key for this request; false when another request holds it (done or still running). */
  async function claim(tenantId: string, key: string, hash: string): Promise<boolean> {
    await db.execute(sql`
      delete from idempotency_keys
       where tenant_id = ${tenantId} and created_at < ${expired}
         and (key = ${key} or key in (select key from idempotency_keys
                                       where tenant_id = ${tenantId} and created_at < ${expired}
                                       order by created_at limit 100))`);
    const taken = await db
      .insert(idempotencyKeys)
      .values({ tenantId, key, requestHash: hash, state: 'IN_PROGRESS' })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    return taken.length === 1;
  }

  return async (req, res, next) => {
    if (req.method !== 'POST') return next();
    const key = req.get(IDEMPOTENCY_HEADER);
    if (key === undefined) return next();
    if (!IDEMPOTENCY_KEY_PATTERN.test(key))
      throw keyError('expected 1 to 255 visible ASCII characters (no spaces)');
    const tenantId = tenantOf(res).id;
    const hash = requestHash(req.method, req.originalUrl, req.body);
    const thisKey = and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key));

    const deadline = Date.now() + waitMs;
    for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
      if (await claim(tenantId, key, hash)) break;
      const [held] = await db.select().from(idempotencyKeys).where(thisKey);
      if (!held) continue; // the first request failed and freed the key: claim it again
      if (held.requestHash !== hash)
        throw new ApiError(
          409,
          'IDEMPOTENCY_KEY_REUSED',
          `${IDEMPOTENCY_HEADER}: this key was used for a different request (another path or body) in the last ${IDEMPOTENCY_TTL_HOURS} hours; use a new key for a new request`,
          [{ field: IDEMPOTENCY_HEADER, in: 'header', problem: 'used for a different request' }],
        );
      if (held.state === 'DONE') {
        if (held.location) res.location(held.location);
        res.set(IDEMPOTENT_REPLAYED_HEADER, 'true');
        res.status(held.status!).json(held.body);
        return;
      }
      if (Date.now() > deadline)
        throw new ApiError(
          409,
          'IDEMPOTENCY_KEY_IN_PROGRESS',
          `${IDEMPOTENCY_HEADER}: a request with this key is still running (or was interrupted; then its outcome is unknown until the key expires after ${IDEMPOTENCY_TTL_HOURS} hours); try again later`,
          [{ field: IDEMPOTENCY_HEADER, in: 'header', problem: 'a request with this key is in progress' }],
        );
      await sleep(pause);
    }

    // This request holds the key: its answer is stored before it is sent, so a duplicate never sees the key
    // free after the work is done.
    const send = res.json.bind(res);
    let answered = false;
    const free = () =>
      db.delete(idempotencyKeys).where(and(thisKey, eq(idempotencyKeys.state, 'IN_PROGRESS')));
    res.json = (body: unknown) => {
      if (answered) return send(body);
      answered = true;
      const status = res.statusCode;
      const location = res.get('location') ?? null;
      const settle =
        status >= 200 && status < 300
          ? db
              .update(idempotencyKeys)
              .set({ state: 'DONE', status, body: body ?? null, location })
              .where(thisKey)
          : free();
      settle.then(
        () => send(body),
        (err: unknown) => {
          // The work is done; the answer is still sent. A repeat then waits, and finds the key IN_PROGRESS.
          req.log?.error({ err }, 'could not record the idempotent answer');
          send(body);
        },
      );
      return res;
    };
    // An answer that is not JSON is not kept either. (A caller that hangs up early does not free the key: the
    // request runs on, and its answer is stored.)
    res.on('finish', () => {
      if (!answered) void free().catch((err: unknown) => req.log?.error({ err }, 'could not free the key'));
    });
    next();
  };
}

/** Publishes the header, the replay header and the 409s on every creating POST under /v1. */
export function documentIdempotency<T extends { paths?: object }>(doc: T): T {
  for (const [path, ops] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    const op = ops.post as
      | { parameters?: unknown[]; responses: Record<string, { description: string; headers?: object }> }
      | undefined;
    if (!path.startsWith('/v1/') || !op) continue;
    op.parameters = [
      ...(op.parameters ?? []),
      {
        name: IDEMPOTENCY_HEADER,
        in: 'header',
        required: false,
        description: `Makes the request safe to repeat: the same key with the same request answers the first answer again (same status and body, header \`${IDEMPOTENT_REPLAYED_HEADER}: true\`) instead of creating twice; the same key with another request is 409 IDEMPOTENCY_KEY_REUSED. A repeat that arrives while the first request runs waits for its answer (up to ${IDEMPOTENCY_WAIT_MS / 1000} s, then 409 IDEMPOTENCY_KEY_IN_PROGRESS). Only successful answers are kept; keys are kept per tenant for ${IDEMPOTENCY_TTL_HOURS} hours.`,
        schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[!-~]+$' },
      },
    ];
    for (const [status, answer] of Object.entries(op.responses))
      if (status.startsWith('2'))
        answer.headers = {
          ...answer.headers,
          [IDEMPOTENT_REPLAYED_HEADER]: {
            description: `\`true\` when this is the stored answer to an earlier request with the same ${IDEMPOTENCY_HEADER}`,
            schema: { type: 'string', enum: ['true'] },
          },
        };
    const conflict = `${IDEMPOTENCY_HEADER} used for a different request (IDEMPOTENCY_KEY_REUSED), or its first request still running (IDEMPOTENCY_KEY_IN_PROGRESS)`;
    const existing = op.responses['409'];
    op.responses['409'] = existing
      ? { ...existing, description: `${existing.description}; or ${conflict}` }
      : ({
          description: conflict,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        } as never);
  }
  return doc;
}
