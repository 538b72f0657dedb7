// Creating letters, one (POST /v1/letters) or a thousand (POST /v1/letters/bulk), the same way: each request
// is checked by the same zod schema and the template's own merge-data schema, stored with an insert that lets
// the database refuse a duplicate externalId, and its workflow `letter-{id}` started.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Db } from '../db/connection';
import { letterAttachments, letters } from '../db/schema';
import type { Tenant } from '../db/tenants';
import { goesToDigipost, validateMergeData } from '../documents';
import { caseFlowOf } from './case-flow-rules';
import { startLetterWorkflow } from '../temporal/starters';
import { ApiError, fromZod } from './errors';
import { findUnstorable, unstorableError } from './edge';
import { createLetterSchema } from './letters-schemas';
import { attachmentRows, checkAttachments, type CheckedAttachment } from './letter-attachments';
import type { LetterTimers } from './routes/letters';

export type NewLetter = typeof letters.$inferInsert & { id: string };
/** A checked letter: its row and its attachments (PDFs checked for print, api/letter-attachments.ts). */
export interface CheckedLetter {
  row: NewLetter;
  attachments: CheckedAttachment[];
}

/** One letter request checked: the row and attachments to store, or the 4xx that names what is wrong. */
export async function checkLetter(
  body: unknown,
  tenant: Tenant,
): Promise<({ ok: true } & CheckedLetter) | { ok: false; error: ApiError }> {
  const unstorable = findUnstorable(body);
  if (unstorable) return { ok: false, error: unstorableError('body', unstorable) };
  const parsed = createLetterSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: fromZod(parsed.error) };
  const input = parsed.data;
  const merge = validateMergeData(input.templateCode, input.mergeData);
  if (!merge.ok) {
    const details = merge.issues.map((i) => ({
      field: i.path === 'templateCode' ? 'templateCode' : `mergeData.${i.path}`,
      problem: i.message,
    }));
    return {
      ok: false,
      error: new ApiError(
        400,
        'VALIDATION_FAILED',
        details.map((d) => `${d.field}: ${d.problem}`).join('; '),
        details,
      ),
    };
  }
  let flow: ReturnType<typeof caseFlowOf>;
  try {
    flow = caseFlowOf(input);
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, error: e };
    throw e;
  }
  if (goesToDigipost(input.templateCode, flow?.name) && tenant.digipostAgreement !== 'ACTIVE')
    return {
      ok: false,
      error: new ApiError(
        409,
        'NO_DIGIPOST_AGREEMENT',
        `tenant ${tenant.id} has no active Digipost agreement, so it cannot send ${input.templateCode} through Digipost`,
      ),
    };
  let attachments: CheckedAttachment[];
  try {
    attachments = await checkAttachments(input.attachments);
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, error: e };
    throw e;
  }
  return {
    ok: true,
    attachments,
    row: {
      id: randomUUID(),
      tenantId: tenant.id,
      caseId: input.caseId,
      templateCode: input.templateCode,
      status: 'RECEIVED',
      recipient: input.recipient,
      mergeData: merge.data,
      externalId: input.externalId ?? null,
      caseFlow: flow?.name ?? null,
      caseFlowStep: flow?.step ?? null,
    },
  };
}

export function externalIdTaken(externalId: string, existingId: string): ApiError {
  const problem = `already used by letter ${existingId}`;
  return new ApiError(
    409,
    'EXTERNAL_ID_EXISTS',
    `externalId: ${problem}`,
    [{ field: 'externalId', in: 'body', problem }],
    { existingId },
  );
}

/** Letters per transaction (one INSERT of letters, one of their attachments): 9 columns × 500 stays far below PostgreSQL's limit. */
const INSERT_CHUNK = 500;

/**
 * Stores the letters, with their attachments in the same transaction, in a few statements. A letter whose
 * externalId the tenant already used (also by an earlier letter of the same call) is not stored: its result is
 * the 409 naming the existing letter.
 */
export async function insertLetters(db: Db, checked: CheckedLetter[]): Promise<(ApiError | null)[]> {
  const rows = checked.map((c) => c.row);
  const stored = new Set<string>();
  for (let i = 0; i < checked.length; i += INSERT_CHUNK) {
    const chunk = checked.slice(i, i + INSERT_CHUNK);
    // without attachments, the one INSERT is atomic by itself: no transaction (two statements a letter fewer)
    type Writer = Pick<Db, 'insert'>;
    const store = chunk.some((c) => c.attachments.length > 0)
      ? (fn: (tx: Writer) => Promise<void>) => db.transaction(fn)
      : (fn: (tx: Writer) => Promise<void>) => fn(db);
    await store(async (tx) => {
      const inserted = await tx
        .insert(letters)
        .values(chunk.map((c) => c.row))
        .onConflictDoNothing({ target: [letters.tenantId, letters.externalId] })
        .returning({ id: letters.id });
      const ids = new Set(inserted.map((r) => r.id));
      const attachments = chunk
        .filter((c) => ids.has(c.row.id))
        .flatMap((c) => attachmentRows(c.row.id, 1, c.attachments));
      if (attachments.length) await tx.insert(letterAttachments).values(attachments);
      for (const id of ids) stored.add(id);
    });
  }
  const refused = rows.filter((r) => !stored.has(r.id));
  if (refused.length === 0) return rows.map(() => null);
  const existing = await db
    .select({ id: letters.id, externalId: letters.externalId })
    .from(letters)
    .where(
      and(
        eq(letters.tenantId, refused[0]!.tenantId),
        inArray(
          letters.externalId,
          refused.map((r) => r.externalId!),
        ),
      ),
    );
  const byExternalId = new Map(existing.map((e) => [e.externalId, e.id]));
  return rows.map((r) => {
    if (stored.has(r.id)) return null;
    const existingId = byExternalId.get(r.externalId ?? null);
    if (!existingId) throw new Error(`letter ${r.id} was neither stored nor refused for its externalId`);
    return externalIdTaken(r.externalId!, existingId);
  });
}

/** Workflow starts in flight at once from the bulk route, over all its requests. */
export const START_CONCURRENCY = 16;

type StarterDeps = {
  temporal: Client;
  taskQueue: string;
  timers: LetterTimers;
  logger: Logger;
  started: StartedMarks;
};

/**
 * Notes which letters' workflows have started (`letters.workflow_started_at`), a few hundred letters a statement:
 * the letter sweeper then looks only at letters whose start was never confirmed. A note lost with the process
 * costs only an idempotent start by the sweeper, which notes it in turn.
 */
export interface StartedMarks {
  mark(letterId: string): void;
}

export function startedMarks(db: Db, logger: Logger, { delayMs = 200, batch = 500 } = {}): StartedMarks {
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const ids = pending;
    pending = [];
    if (ids.length === 0) return writing;
    writing = writing.then(() =>
      db
        .update(letters)
        .set({ workflowStartedAt: new Date() })
        .where(inArray(letters.id, ids))
        .then(
          () => undefined,
          (e: unknown) =>
            // not lost: the sweeper starts these letters again (idempotently) and notes them itself
            logger.warn(
              { letters: ids.length, err: (e as Error).message },
              'could not note started workflows',
            ),
        ),
    );
    return writing;
  };
  return {
    mark(letterId) {
      pending.push(letterId);
      if (pending.length >= batch) void flush();
      else if (!timer) timer = setTimeout(() => void flush(), delayMs).unref();
    },
  };
}
/** What a letter's workflow is started with: its id, and its tenant and case for the search attributes. */
export type LetterToStart = Pick<NewLetter, 'id' | 'tenantId' | 'caseId'>;

/**
 * Starts one letter's workflow. A start that fails leaves the letter RECEIVED: the letter sweeper
 * (workflows/letter-sweeper-workflow.ts) starts it once Temporal answers again, so the letter is still accepted.
 */
export async function startLetterWorkflowOrLeaveToSweeper(
  deps: StarterDeps,
  letter: LetterToStart,
): Promise<void> {
  try {
    await startLetterWorkflow(deps.temporal, {
      taskQueue: deps.taskQueue,
      letterId: letter.id,
      tenantId: letter.tenantId,
      caseId: letter.caseId,
      timers: deps.timers,
    });
    deps.started.mark(letter.id);
  } catch (e) {
    deps.logger.warn(
      { letterId: letter.id, err: (e as Error).message },
      'letter stored; its workflow starts later',
    );
  }
}

/**
 * Starts stored letters' workflows in the background, at most START_CONCURRENCY at a time for the whole
 * process, so a bulk request is answered as soon as its letters are stored. Should the process stop first,
 * the letters are still RECEIVED and the letter sweeper starts their workflows.
 */
export function backgroundStarter(deps: StarterDeps) {
  const batches: LetterToStart[][] = [];
  let position = 0;
  let running = 0;
  let idle: (() => void)[] = [];
  const pump = () => {
    while (running < START_CONCURRENCY && batches.length) {
      const batch = batches[0]!;
      const letter = batch[position++]!;
      if (position >= batch.length) {
        batches.shift();
        position = 0;
      }
      running++;
      void startLetterWorkflowOrLeaveToSweeper(deps, letter).finally(() => {
        running--;
        pump();
      });
    }
    if (running === 0 && batches.length === 0) {
      for (const resolve of idle) resolve();
      idle = [];
    }
  };
  return {
    start(letters: LetterToStart[]): void {
      if (letters.length) batches.push(letters);
      pump();
    },
    /** Resolves when every start handed over so far has been tried. */
    idle(): Promise<void> {
      return running === 0 && batches.length === 0
        ? Promise.resolve()
        : new Promise((resolve) => idle.push(resolve));
    },
  };
}
