// The application's gauges, counted in the database when Prometheus scrapes (API and worker alike): letters by
// status, runs in flight, inbound items by status, webhook deliveries waiting. One snapshot serves all gauges
// of a scrape and is reused for `ttlMs`, so several scrapers cost one round of queries.
import { sql } from 'drizzle-orm';
import { Gauge, type Registry } from 'prom-client';
import type { Db } from '../db/connection';

interface Row {
  tenant: string;
  status: string;
  n: number;
}

interface Snapshot {
  letters: Row[];
  runs: Row[];
  inbound: Row[];
  webhooks: Row[];
}

async function rows(db: Db, query: ReturnType<typeof sql>): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { tenant: string; status: string; n: string }[];
  return result.map((r) => ({ tenant: r.tenant, status: r.status, n: Number(r.n) }));
}

async function count(db: Db): Promise<Snapshot> {
  const [letters, runs, inbound, webhooks] = await Promise.all([
    rows(db, sql`select tenant_id as tenant, status, count(*) as n from letters group by 1, 2`),
    rows(
      db,
      sql`select tenant_id as tenant, status, count(*) as n from runs
          where status in ('SENDING', 'COMMITTED') group by 1, 2`,
    ),
    rows(db, sql`select tenant_id as tenant, status, count(*) as n from inbound_items group by 1, 2`),
    rows(
      db,
      sql`select tenant_id as tenant, status, count(*) as n from webhook_deliveries
          where status = 'PENDING' group by 1, 2`,
    ),
  ]);
  return { letters, runs, inbound, webhooks };
}

export function registerAppGauges(registry: Registry, db: Db, ttlMs = 5_000): void {
  let cached: { at: number; snapshot: Promise<Snapshot> } | undefined;
  const snapshot = () => {
    if (!cached || Date.now() - cached.at >= ttlMs) {
      const fresh = { at: Date.now(), snapshot: count(db) };
      // a failed count is not cached: the scrape fails (Prometheus marks it down) and the next one asks again
      fresh.snapshot.catch(() => {
        if (cached === fresh) cached = undefined;
      });
      cached = fresh;
    }
    return cached.snapshot;
  };
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    pick: (s: Snapshot) => Row[],
    labels: (r: Row) => Record<string, string>,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const s = await snapshot();
        this.reset();
        for (const r of pick(s)) this.set(labels(r), r.n);
      },
    });
  gauge(
    'postgang_letters',
    'Letters by tenant and status (domain/letter-status.ts)',
    ['tenant', 'status'],
    (s) => s.letters,
    (r) => ({ tenant: r.tenant, status: r.status }),
  );
  gauge(
    'postgang_runs_in_flight',
    'Runs not yet done (SENDING or COMMITTED), by tenant and status',
    ['tenant', 'status'],
    (s) => s.runs,
    (r) => ({ tenant: r.tenant, status: r.status }),
  );
  gauge(
    'postgang_inbound_items',
    'Inbound SvarInn items by tenant and status (AWAITING_TRIAGE and TRIAGE_FAILED wait for an operator)',
    ['tenant', 'status'],
    (s) => s.inbound,
    (r) => ({ tenant: r.tenant, status: r.status }),
  );
  gauge(
    'postgang_webhook_backlog',
    'Webhook deliveries not yet delivered (PENDING), by tenant',
    ['tenant'],
    (s) => s.webhooks,
    (r) => ({ tenant: r.tenant }),
  );
}
