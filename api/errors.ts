// One error shape everywhere: { error: { code, message, details? } }.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError, type z } from 'zod';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** More members of the error object, e.g. `existingId` of a letter with the same externalId. */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Where a request's value came from; named in each problem so a query error is not read as a body error. */
export type RequestPart = 'body' | 'query' | 'path' | 'header' | 'cookie';

export function fromZod(e: ZodError, where: RequestPart = 'body', field?: string): ApiError {
  const details = e.issues.map((i) => ({
    field: [field, ...i.path].filter((p) => p !== undefined).join('.') || `(${where})`,
    in: where,
    problem: i.message,
  }));
  const message = details.map((d) => `${d.field}: ${d.problem}`).join('; ');
  return new ApiError(400, 'VALIDATION_FAILED', message, details);
}

export const notFound: RequestHandler = (req, _res, next) =>
  next(new ApiError(404, 'NOT_FOUND', `no route for ${req.method} ${req.path}`));

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  void _next;
  let e: ApiError;
  if (err instanceof ApiError) e = err;
  else if (err instanceof ZodError) e = fromZod(err);
  else if (err?.type === 'entity.parse.failed')
    e = new ApiError(400, 'MALFORMED_JSON', 'request body is not valid JSON');
  else if (err?.type === 'entity.too.large')
    e = new ApiError(413, 'REQUEST_TOO_LARGE', `request body exceeds the limit of ${err.limit} bytes`);
  else if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported')
    e = new ApiError(415, 'UNSUPPORTED_ENCODING', String(err.message));
  else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500)
    e = new ApiError(err.status, 'BAD_REQUEST', String(err.message));
  else {
    req.log?.error({ err }, 'unhandled error');
    e = new ApiError(500, 'INTERNAL', 'internal error');
  }
  res.status(e.status).json({ error: { code: e.code, message: e.message, details: e.details, ...e.extra } });
};

/** Parses one request value (a path parameter, a header) or throws 400 naming it. */
export function requestValue<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: RequestPart,
  field: string,
): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error, where, field);
  return r.data;
}
