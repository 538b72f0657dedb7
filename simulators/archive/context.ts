// What every route of the simulator is built from: its archive, its mode, its links, and its checks.
import type { Request } from 'express';
import type { Route } from './protocol';
import type { Representation } from './representation';
import type { ArchiveStore, Entity, Kind } from './store';

export interface SimContext {
  store: ArchiveStore;
  /** `observed` mode (the independent server) rather than the standard's text. */
  observed: boolean;
  /** Whether this server offers the code list held by a field (some servers lack one). */
  offered: (field: string) => boolean;
  /** `{origin}/noark5v5/api`, once the server listens. */
  api: () => string;
  rep: Representation;
  route: Route;
  requireAuth: (req: Request) => void;
  /** The object named by `:id` (of one of `kinds`), or 404. */
  entity: (req: Request, ...kinds: Kind[]) => Entity;
}
