import { describe, expect, it } from 'vitest';
import { DIGIPOST_ERROR_TYPES, DigipostError, isRetryable } from './errors';

describe('Digipost error codes (§6)', () => {
  it('knows every code of the spec with its type', () => {
    expect(Object.keys(DIGIPOST_ERROR_TYPES)).toHaveLength(83);
    expect(DIGIPOST_ERROR_TYPES.UNKNOWN_RECIPIENT).toBe('CLIENT_DATA');
    expect(DIGIPOST_ERROR_TYPES.NOT_APPROVED_FOR_PRINT).toBe('CONFIGURATION');
    expect(DIGIPOST_ERROR_TYPES.INVALID_SIGNATURE).toBe('CLIENT_TECHNICAL');
    expect(DIGIPOST_ERROR_TYPES.API_UNAVAILABLE).toBe('SERVER');
  });

  it('says which failures a retry can cure', () => {
    expect(isRetryable('SERVER_ERROR', 500)).toBe(true);
    expect(isRetryable('CONNECTION_ERROR', 0)).toBe(true);
    expect(isRetryable('DATE_HEADER_OUTSIDE_ACCEPTED_INTERVAL', 400)).toBe(true);
    expect(isRetryable('DUPLICATE_DOCUMENT_ID', 400)).toBe(false);
    expect(isRetryable('NOT_APPROVED_FOR_PRINT', 403)).toBe(false);
    expect(isRetryable('SOMETHING_NEW', 400)).toBe(false);
    expect(isRetryable('SOMETHING_NEW', 502)).toBe(true);
  });

  it('keeps unknown codes and types as they came; derives a type from the status otherwise', () => {
    const e = new DigipostError('SOMETHING_NEW', 'x', 409);
    expect(e).toMatchObject({ code: 'SOMETHING_NEW', type: 'CLIENT_TECHNICAL', retryable: false });
    expect(new DigipostError('SOMETHING_NEW', 'x', 500).type).toBe('SERVER');
    expect(new DigipostError('X', 'x', 400, false, 'BRAND_NEW_TYPE').type).toBe('BRAND_NEW_TYPE');
  });
});
