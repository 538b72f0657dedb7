export { letterWorkflow } from './letter-workflow';
export { svarinnPollerWorkflow } from './svarinn-poller-workflow';
export { inboundItemWorkflow } from './inbound-item-workflow';
