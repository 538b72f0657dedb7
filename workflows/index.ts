export { letterWorkflow } from './letter-workflow';
export { letterWebhooksWorkflow } from './webhook-workflow';
