// The simulator's error answers: the Fiks ErrorMessage shape of KS's newer APIs (svarinn-api.md §2); V1's own
// error body is not documented.
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function errorBody(req: Request, status: number, error: string, message: string) {
  return {
    timestamp: new Date().toISOString(),
    status,
    error,
    errorId: randomUUID(),
    path: req.path,
    originalPath: req.originalUrl,
    message,
    errorCode: null,
    errorJson: null,
  };
}

/** Answers `status` with the error body (and the Basic challenge on 401). */
export function fail(req: Request, res: Response, status: number, message: string): void {
  if (status === 401) res.set('WWW-Authenticate', 'Basic realm="KS Svarut mottaker login"');
  res.status(status).json(errorBody(req, status, STATUS_TEXT[status] ?? 'Error', message));
}
