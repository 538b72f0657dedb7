// Receiving systems (SvarInn mottakersystemer): create, list, read, update, deactivate. Scoped to the caller's
// tenant. Secrets go in and never come out. Creating (or reactivating) one starts its poller.
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/connection';
import {
  createReceivingSystem,
  getReceivingSystem,
  listReceivingSystems,
  OrgNumberTakenError,
  updateReceivingSystem,
  type ReceivingSystemView,
} from '../../db/receiving-systems';
import type { SecretBox } from '../../db/secret-box';
import type { TriageRules, ForwardDestination } from '../../db/schema';
import { startSvarinnPollerWorkflow } from '../../temporal/starters';
import { svarinnPollerWorkflowId } from '../../domain/workflow-ids';
import { ApiError, fromZod } from '../errors';
import { createReceivingSystemSchema, updateReceivingSystemSchema } from '../inbound-schemas';
import { actorOf, tenantOf } from '../auth';
import { recordAudit } from '../../db/audit';

export interface ReceivingSystemsRouterDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  secrets: SecretBox;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every forward rule must name a configured destination. */
function checkRuleDestinations(rules: TriageRules, destinations: ForwardDestination[]): void {
  const ids = new Set(destinations.map((d) => d.id));
  rules.forward.forEach((r, i) => {
    if (!ids.has(r.destination))
      throw new ApiError(
        400,
        'VALIDATION_FAILED',
        `rules.forward.${i}.destination: ${r.destination} is not one of forwardDestinations`,
        [{ field: `rules.forward.${i}.destination`, problem: 'unknown destination' }],
      );
  });
}

function conflict(e: unknown): never {
  if (e instanceof OrgNumberTakenError) throw new ApiError(409, 'ORG_NUMBER_TAKEN', e.message);
  throw e;
}

export function receivingSystemsRouter({
  db,
  temporal,
  taskQueue,
  secrets,
}: ReceivingSystemsRouterDeps): Router {
  const router = Router();

  const load = async (tenantId: string, id: string): Promise<ReceivingSystemView> => {
    const found = UUID.test(id) ? await getReceivingSystem(db, tenantId, id) : undefined;
    if (!found) throw new ApiError(404, 'NOT_FOUND', `receiving system ${id} not found`);
    return found;
  };

  router.post('/receiving-systems', async (req, res) => {
    const tenant = tenantOf(res);
    const parsed = createReceivingSystemSchema.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    checkRuleDestinations(parsed.data.rules, parsed.data.forwardDestinations);
    const created = await createReceivingSystem(db, secrets, tenant.id, parsed.data).catch(conflict);
    await startSvarinnPollerWorkflow(temporal, taskQueue, created.id);
    await recordAudit(db, {
      tenantId: tenant.id,
      actor: actorOf(res),
      action: 'receiving_system.created',
      subjectId: created.id,
      detail: { forwardRules: parsed.data.rules.forward.length },
    });
    res.status(201).location(`/v1/receiving-systems/${created.id}`).json(created);
  });

  router.get('/receiving-systems', async (_req, res) => {
    res.json({ items: await listReceivingSystems(db, tenantOf(res).id) });
  });

  router.get('/receiving-systems/:id', async (req, res) => {
    res.json(await load(tenantOf(res).id, req.params.id));
  });

  router.patch('/receiving-systems/:id', async (req, res) => {
    const tenant = tenantOf(res);
    const current = await load(tenant.id, req.params.id);
    const parsed = updateReceivingSystemSchema.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    checkRuleDestinations(
      parsed.data.rules ?? current.rules,
      parsed.data.forwardDestinations ?? current.forwardDestinations,
    );
    const updated = await updateReceivingSystem(db, secrets, tenant.id, current.id, parsed.data).catch(
      conflict,
    );
    if (!updated) throw new ApiError(404, 'NOT_FOUND', `receiving system ${req.params.id} not found`);
    if (updated.active) await startSvarinnPollerWorkflow(temporal, taskQueue, updated.id);
    await recordAudit(db, {
      tenantId: tenant.id,
      actor: actorOf(res),
      action: 'receiving_system.changed',
      subjectId: current.id,
      detail: { fields: Object.keys(parsed.data).sort().join(',') },
    });
    res.json(updated);
  });

  /** Deactivate: polling stops (the poller is cancelled); items already received are kept. */
  router.delete('/receiving-systems/:id', async (req, res) => {
    const tenant = tenantOf(res);
    const current = await load(tenant.id, req.params.id);
    const updated = await updateReceivingSystem(db, secrets, tenant.id, current.id, { active: false });
    await temporal.workflow
      .getHandle(svarinnPollerWorkflowId(current.id))
      .cancel()
      .catch((e: Error) => {
        if (e.name !== 'WorkflowNotFoundError') throw e;
      });
    await recordAudit(db, {
      tenantId: tenant.id,
      actor: actorOf(res),
      action: 'receiving_system.deleted',
      subjectId: current.id,
    });
    res.json(updated);
  });

  return router;
}
