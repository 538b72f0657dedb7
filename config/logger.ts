import { pino, type Logger } from 'pino';

/** Structured JSON logs; national ids and addresses are never logged (bodies are not logged at all). */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level, redact: ['req.headers.authorization', '*.nationalId', '*.address'] });
}
