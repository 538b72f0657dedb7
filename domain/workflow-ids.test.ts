// The workflow ids are frozen: running workflows in production and the recorded histories in test/fixtures
// carry them, and a start under a changed id would start a second workflow for the same letter or item.
import { describe, expect, it } from 'vitest';
import {
  digipostEventsWorkflowId,
  inboundItemWorkflowId,
  inboundWebhooksWorkflowId,
  LETTER_SWEEPER_WORKFLOW_ID,
  letterWebhooksWorkflowId,
  letterWorkflowId,
  runWorkflowId,
  svarinnPollerWorkflowId,
} from './workflow-ids';

describe('workflow ids', () => {
  it('keep the spellings running workflows were started with', () => {
    expect(letterWorkflowId('7f1c')).toBe('letter-7f1c');
    expect(runWorkflowId('7f1c')).toBe('run-7f1c');
    expect(inboundItemWorkflowId('f-1')).toBe('svarinn-f-1');
    expect(svarinnPollerWorkflowId('rs-1')).toBe('svarinn-poller-rs-1');
    expect(letterWebhooksWorkflowId('7f1c')).toBe('webhooks-letter-7f1c');
    expect(inboundWebhooksWorkflowId('i-1')).toBe('webhooks-inbound-i-1');
    expect(digipostEventsWorkflowId('b-1')).toBe('digipost-events-b-1');
    expect(LETTER_SWEEPER_WORKFLOW_ID).toBe('letter-sweeper');
  });
});
