// The one error type of the SvarInn client. `kind` says what went wrong; `retryable` says whether trying the
// same call again later can help (a transient outage, a damaged transfer) or never will (credentials, key).
export type SvarInnErrorKind =
  'auth' | 'not-found' | 'transient' | 'corrupt' | 'wrong-key' | 'checksum' | 'protocol';

const RETRYABLE: Record<SvarInnErrorKind, boolean> = {
  auth: false,
  'not-found': false,
  transient: true,
  // A damaged download or a checksum mismatch may come from the transfer: the caller retries a capped
  // number of times, then reports the item with mottakFeilet.
  corrupt: true,
  checksum: true,
  'wrong-key': false,
  protocol: false,
};

export class SvarInnError extends Error {
  readonly retryable: boolean;
  readonly httpStatus?: number;

  constructor(
    readonly kind: SvarInnErrorKind,
    message: string,
    opts: { httpStatus?: number; cause?: unknown; retryable?: boolean } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SvarInnError';
    this.retryable = opts.retryable ?? RETRYABLE[kind];
    if (opts.httpStatus !== undefined) this.httpStatus = opts.httpStatus;
  }
}
