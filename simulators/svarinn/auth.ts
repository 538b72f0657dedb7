// Basic authentication of a receiving system (svarinn-api.md §2): the username is the receiving system's id.
import type { Request, Response } from 'express';
import { fail } from './errors';
import type { SvarInnState, System } from './state';

/** The calling receiving system, or a 401 answered. */
export function authenticate(state: SvarInnState, req: Request, res: Response): System | undefined {
  const header = req.header('authorization') ?? '';
  const match = /^Basic\s+(.+)$/i.exec(header);
  const [user, ...rest] = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8').split(':') : [];
  const system = user ? state.systems.get(user) : undefined;
  if (!system || system.password !== rest.join(':')) {
    fail(req, res, 401, 'Feil brukernavn eller passord');
    return undefined;
  }
  return system;
}
