export { letterWorkflow } from './letter-workflow';
