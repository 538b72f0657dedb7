// One workflow per letter (`letter-{id}`). Its input is the letter id only: recipient data stays in PostgreSQL.
import { proxyActivities } from '@temporalio/workflow';
import type { LetterActivities } from '../activities/letter-activities';

const { produceDocument, recordStatus } = proxyActivities<LetterActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export interface LetterWorkflowInput {
  letterId: string;
}

export async function letterWorkflow({ letterId }: LetterWorkflowInput): Promise<{ version: number }> {
  const { version } = await produceDocument(letterId);
  await recordStatus(letterId, 'PRODUCED', `document version ${version} rendered and stored`);
  return { version };
}
