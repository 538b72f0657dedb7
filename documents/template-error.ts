// Why a template could not be rendered. Callers (activities, the API) map `code` to their own error types;
// all of these are permanent: retrying with the same input gives the same answer.
export type TemplateErrorCode =
  'UNKNOWN_TEMPLATE' | 'INVALID_MERGE_DATA' | 'INVALID_RECIPIENT' | 'TOO_MANY_PAGES';

export class TemplateError extends Error {
  constructor(
    readonly code: TemplateErrorCode,
    message: string,
    /** Field-level problems, paths dotted (`claims.0.amount`, `address.postalCode`). */
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}
