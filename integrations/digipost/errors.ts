// Digipost error codes (digipost-api.md §6) as typed values with their error type and whether a retry can
// help. Digipost adds codes over time, so a code is an open value: unknown codes are kept as they came and
// classified by HTTP status (5xx and no answer: retryable).

/** Error types on the wire (`error-type` is a free string in the XSD; these are the known values). */
export type DigipostErrorType =
  'SERVER' | 'CLIENT_DATA' | 'CLIENT_TECHNICAL' | 'CONFIGURATION' | 'NONE' | 'UNKNOWN' | (string & {});

const SERVER = ['GENERAL_ERROR', 'API_UNAVAILABLE', 'SERVER_ERROR', 'SERVER_SIGNATURE_ERROR'] as const;
const CONFIGURATION = [
  'NOT_APPROVED_FOR_REST_API_USAGE',
  'NOT_APPROVED_FOR_PRINT',
  'NOT_APPROVED_FOR_IDPORTEN',
  'NOT_APPROVED_FOR_DIRECT_PRINT',
  'NOT_APPROVED_FOR_PREENCRYPT',
  'NOT_APPROVED_FOR_TECHNICAL_ATTACHMENTS',
  'MISSING_CERTIFICATE',
  'REVOKED_CERTIFICATE',
  'BROKER_NOT_AUTHORIZED',
  'NOTIFICATION_ADDRESSES_NOT_ALLOWED',
  'ORGANISATION_LETTERS_PER_MONTH_EXCEEDED',
  'DELIVERY_DATE_HISTORICAL',
  'ACCOUNT_DEACTIVATED',
] as const;
const CLIENT_TECHNICAL = [
  'CANNOT_PREENCRYPT',
  'FAILED_PREENCRYPTION',
  'FAILED_TO_PARSE_ENCRYPTION_KEY',
  'CONTENT_NOT_ENCRYPTED_WITH_CORRECT_KEY',
  'ENCRYPTION_KEY_NOT_FOUND',
  'CONTENT_NOT_ENCRYPTED',
  'PROBLEM_WITH_REQUEST',
  'INVALID_TRANSACTION',
  'INVALID_DATE',
  'INVALID_DATE_RANGE',
  'INVALID_QUERY_PARAMETER',
  'SCHEMA_VALIDATION_ERROR',
  'ILLEGAL_ACCESS',
  'DIGIPOST_MESSAGE_ALREADY_DELIVERED',
  'PRINT_MESSAGE_ALREADY_DELIVERED',
  'MESSAGE_ALREADY_SENT',
  'CONTENT_ALREADY_UPLOADED',
  'MESSAGE_NOT_FOUND',
  'DOCUMENT_NOT_FOUND',
  'INVALID_SIGNATURE',
  'MISSING_SIGNATURE',
  'INVALID_USER_ID_HEADER',
  'UNKNOWN_USER_ID',
  'MISSING_DATE_HEADER',
  'INVALID_DATE_HEADER',
  'DATE_HEADER_OUTSIDE_ACCEPTED_INTERVAL',
  'MISSING_SHA256',
  'INVALID_SHA256',
  'MISSING_CONTENT_HASH',
  'INVALID_MD5',
  'MISSING_BODYPART_CONTENT_DISPOSITION',
  'MISSING_BODYPART_FILENAME',
  'DOCUMENTS_AND_FILES_MISMATCH',
  'CLIENT_ERROR',
  'CONNECTION_ERROR',
] as const;
const CLIENT_DATA = [
  'REQUEST_TOO_LARGE',
  'FILE_TOO_LARGE',
  'DUPLICATE_MESSAGE',
  'DUPLICATE_DOCUMENT_ID',
  'DUPLICATE_DOCUMENT_ID_FOR_BATCH',
  'CONTENT_OF_PRINT_MESSAGE_MUST_BE_PDF',
  'ILLEGAL_HTML_CONTENT',
  'BAD_CONTENT',
  'ILLEGAL_CONTENT_TYPE',
  'INVALID_PDF_CONTENT',
  'INVALID_HTML_CONTENT',
  'HTML_CONTENT_SANITIZED',
  'VALIDATION_FAILED',
  'MISSING_CONTENT',
  'MISSING_SUBJECT',
  'INVALID_MONETARY_AMOUNT',
  'AUTHENTICATION_LEVEL_TOO_LOW',
  'UNKNOWN_SENDER',
  'UNKNOWN_RECIPIENT',
  'MISSING_RECIPIENT',
  'UNKNOWN_USER',
  'INVALID_EMAIL_ADDRESS',
  'INVALID_EMAIL_NOTIFICATION_TIME',
  'INVALID_SMS_NOTIFICATION_TIME',
  'INVALID_PHONE_NUMBER',
  'INVALID_RECIPIENT_PRINT_ADDRESS',
  'INVALID_RETURN_ADDRESS',
  'PEPPOL_ERROR',
  'PEPPOL_FILE_MUST_BE_XML',
  'UNKNOWN_PEPPOL_RECIPIENT',
  'UNKNOWN_BATCH',
] as const;

export type KnownDigipostErrorCode =
  | (typeof SERVER)[number]
  | (typeof CONFIGURATION)[number]
  | (typeof CLIENT_TECHNICAL)[number]
  | (typeof CLIENT_DATA)[number];
/** A Digipost error code: a known one, or any code Digipost adds later. */
export type DigipostErrorCode = KnownDigipostErrorCode | (string & {});

/** Every known code with its error type. */
export const DIGIPOST_ERROR_TYPES: Readonly<Record<KnownDigipostErrorCode, DigipostErrorType>> =
  Object.freeze(
    Object.fromEntries([
      ...SERVER.map((c) => [c, 'SERVER']),
      ...CONFIGURATION.map((c) => [c, 'CONFIGURATION']),
      ...CLIENT_TECHNICAL.map((c) => [c, 'CLIENT_TECHNICAL']),
      ...CLIENT_DATA.map((c) => [c, 'CLIENT_DATA']),
    ]) as Record<KnownDigipostErrorCode, DigipostErrorType>,
  );

/**
 * Codes a later attempt can succeed after without changing the request: Digipost or the connection was down, a
 * response could not be authenticated (a key rotation, a proxy mangling the answer), or our clock was off by
 * more than 5 minutes (NTP corrects it). A send retried after one of these must reuse its message-id.
 */
const RETRYABLE = new Set<string>([
  'API_UNAVAILABLE',
  'SERVER_ERROR',
  'SERVER_SIGNATURE_ERROR',
  'DATE_HEADER_OUTSIDE_ACCEPTED_INTERVAL',
  'CONNECTION_ERROR',
]);

export function isKnownErrorCode(code: string): code is KnownDigipostErrorCode {
  return Object.hasOwn(DIGIPOST_ERROR_TYPES, code);
}

/** Whether a retry may help: the known retryable codes, and any code that came with a 5xx or no answer. */
export function isRetryable(code: string, httpStatus: number): boolean {
  return RETRYABLE.has(code) || httpStatus === 0 || httpStatus >= 500;
}

export class DigipostError extends Error {
  readonly type: DigipostErrorType;

  constructor(
    readonly code: DigipostErrorCode,
    message: string,
    /** HTTP status of the answer; 0 when there was none (connection error, timeout). */
    readonly httpStatus: number,
    readonly retryable: boolean = isRetryable(code, httpStatus),
    type?: DigipostErrorType,
  ) {
    super(`${code}: ${message}`);
    this.name = 'DigipostError';
    this.type =
      type ??
      (isKnownErrorCode(code)
        ? DIGIPOST_ERROR_TYPES[code]
        : httpStatus >= 500 || httpStatus === 0
          ? 'SERVER'
          : 'CLIENT_TECHNICAL');
  }
}
