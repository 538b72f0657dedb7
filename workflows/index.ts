export { letterWorkflow } from './letter-workflow';
export { runWorkflow } from './run-workflow';
export { digipostEventsWorkflow } from './digipost-events-workflow';
export { svarinnPollerWorkflow } from './svarinn-poller-workflow';
export { inboundItemWorkflow } from './inbound-item-workflow';
export { letterWebhooksWorkflow } from './webhook-workflow';
export { letterSweeperWorkflow } from './letter-sweeper-workflow';
