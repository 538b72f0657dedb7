import { pino, type Logger, type SerializedError } from 'pino';

/**
 * Fields that hold personal data (or a whole row or statement's parameters) wherever they appear in a log
 * object, a few levels deep; their values are replaced by "[Redacted]".
 */
const PERSONAL = [
  'nationalId',
  'fnr',
  'name',
  'recipient',
  'address',
  'lines',
  'kid',
  'accountNumber',
  'params',
  'parameters',
  'detail',
  'body',
];
export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  // top level too, except `name`: there it is the logger's own name
  ...PERSONAL.flatMap((f) => [...(f === 'name' ? [] : [f]), `*.${f}`, `*.*.${f}`, `*.*.*.${f}`]),
];

/** drizzle's "Failed query: …\nparams: …" message without its parameters. */
const withoutParams = (message: string) => message.replace(/\nparams:[\s\S]*$/, '\nparams: [Redacted]');

/**
 * An error as the logs may show it: its type, message and stack with any query parameters cut off, and its
 * cause's type, code and message (never PostgreSQL's `detail`, which can quote a whole row).
 */
export function safeError(e: unknown, depth = 0): SerializedError | undefined {
  if (e === undefined || e === null) return undefined;
  // an Error, or one already serialized (pino-http hands its error serializer pino's own serialization)
  const err = e as {
    name?: unknown;
    type?: unknown;
    message?: unknown;
    stack?: unknown;
    code?: unknown;
    cause?: unknown;
  };
  if (typeof e !== 'object' || typeof err.message !== 'string')
    return { message: '[not an error]' } as SerializedError;
  const message = withoutParams(err.message);
  const type = typeof err.type === 'string' ? err.type : (e.constructor?.name ?? 'Error');
  const frames = String(err.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l));
  const out: Record<string, unknown> = {
    type,
    message,
    stack: [`${type}: ${message}`, ...frames].join('\n'),
  };
  if (typeof err.code === 'string' || typeof err.code === 'number') out.code = err.code;
  if (err.cause !== undefined && depth < 3) out.cause = safeError(err.cause, depth + 1);
  return out as unknown as SerializedError;
}

/** A request as the logs may show it: no query string (it may name a person), no headers, no body. */
export function safeRequest(req: {
  id?: unknown;
  method?: string;
  originalUrl?: string;
  url?: string;
  socket?: { remoteAddress?: string };
}) {
  return {
    id: req.id,
    method: req.method,
    url: (req.originalUrl ?? req.url)?.split('?')[0],
    remoteAddress: req.socket?.remoteAddress,
  };
}

/** A response as the logs may show it: its status. */
export const safeResponse = (res: { statusCode?: number }) => ({ statusCode: res.statusCode });

/** For pino and for pino-http (with `wrapSerializers: false`, so these see the real objects). */
export const LOG_SERIALIZERS = { err: safeError, req: safeRequest, res: safeResponse };

/** Structured JSON logs; national ids, names and addresses are never logged (bodies are not logged at all). */
export function createLogger(name: string, level: string, destination?: pino.DestinationStream): Logger {
  const options = { name, level, redact: REDACT, serializers: LOG_SERIALIZERS };
  return destination ? pino(options, destination) : pino(options);
}
