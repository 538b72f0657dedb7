export { letterWorkflow } from './letter-workflow';
export { runWorkflow } from './run-workflow';
export { digipostEventsWorkflow } from './digipost-events-workflow';
