// The inbound end-to-end files' shared way to reach the API and the items: fresh organisation numbers, the
// API over HTTP with the tenant's key, the inbound item of a forsendelse once it has reached a status, and an
// item injected into SvarInn whose every download fails in one way.
import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { inboundItems } from '../../db/schema';
import type { InboundTestSystem } from './system';
import type { SvarInnSimulator } from '../../simulators/svarinn/server';
import type { DownloadFault } from '../../simulators/svarinn/state';
import { until } from './until';

/** The test database outlives a run, and an organisation number can be registered once: fresh ones per run. */
export const orgNumber = () => `9${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

export const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

export interface ApiInit {
  method?: string;
  body?: unknown;
  /** Instead of the tenant's key. */
  headers?: Record<string, string>;
}

/** The API of `system` (read when called: the system may start after this is made). */
export function inboundApi<Item extends { status: string }>(
  system: Pick<InboundTestSystem, 'db' | 'base' | 'auth'>,
) {
  const api = (path: string, init: ApiInit = {}) =>
    fetch(`${system.base}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...(init.headers ?? system.auth) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  /** The inbound item for a forsendelse, once it has reached `status` (one of them) and `extra` holds. */
  const itemFor = (forsendelseId: string, status: string | string[], extra?: (i: Item) => boolean) => {
    const wanted = ([] as string[]).concat(status);
    return until(`${forsendelseId} to reach ${wanted.join('|')}`, async () => {
      const [row] = await system.db
        .select({ id: inboundItems.id })
        .from(inboundItems)
        .where(eq(inboundItems.forsendelseId, forsendelseId));
      if (!row) return undefined;
      const item = (await (await api(`/v1/inbound/${row.id}`)).json()) as Item;
      return wanted.includes(item.status) && (!extra || extra(item)) ? item : undefined;
    });
  };
  return { api, itemFor };
}

/** Injects a one-file item into SvarInn whose downloads all fail with `fault`; returns its forsendelse id. */
export function injectWithFailingDownload(
  svarinn: SvarInnSimulator,
  fault: DownloadFault,
  item: { tittel: string; orgnr: string; filnavn: string; content: Buffer | Uint8Array },
): string {
  const id = randomUUID();
  svarinn.injectDownloadFault({ ...fault, forsendelseId: id, times: 100 });
  svarinn.inject({
    id,
    tittel: item.tittel,
    orgnr: item.orgnr,
    files: [{ filnavn: item.filnavn, content: item.content }],
  });
  return id;
}
