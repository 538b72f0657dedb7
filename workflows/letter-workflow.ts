// One workflow per letter (`letter-{id}`). Its input is the letter id only: recipient data stays in PostgreSQL.
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { LetterActivities } from '../activities/letter-activities';

const { produceDocument, recordStatus } = proxyActivities<LetterActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

// The send is side-effecting: a short timeout so a dead worker is noticed quickly, capped attempts.
// Retries are safe because the message id is stable (see sendToDigipost).
const { sendToDigipost } = proxyActivities<LetterActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '2s', maximumInterval: '1 minute', backoffCoefficient: 2, maximumAttempts: 10 },
});

export interface LetterWorkflowInput {
  letterId: string;
}

export async function letterWorkflow({
  letterId,
}: LetterWorkflowInput): Promise<{ version: number; status: string }> {
  const { version } = await produceDocument(letterId);
  await recordStatus(letterId, 'PRODUCED', `document version ${version} rendered and stored`);
  let status: string;
  try {
    status = await sendToDigipost(letterId, version);
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof ApplicationFailure ? e.cause.message : String(e);
    await recordStatus(letterId, 'NOT_SENT', `Digipost refused the letter: ${cause}`);
    return { version, status: 'NOT_SENT' };
  }
  await recordStatus(letterId, status, `Digipost accepted version ${version}`);
  return { version, status };
}
