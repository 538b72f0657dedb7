// The document package over HTTP: the templates with their merge data's JSON Schema, and the case flows
// (saksganger) with where each step's letter goes. The same for every tenant; read-only.
import { Router } from 'express';
import { goesToDigipost, listCaseFlows, listTemplates, mergeDataJsonSchema } from '../../documents';
import type { z } from 'zod';
import type { caseFlowsSchema, templatesSchema } from '../catalogue-schemas';

export function catalogueRouter(): Router {
  const router = Router();
  const templates: z.infer<typeof templatesSchema> = {
    templates: listTemplates().map((t) => ({
      code: t.code,
      title: t.name,
      digipostCompatible: t.digipostCompatible,
      mergeDataSchema: mergeDataJsonSchema(t.code)!,
    })),
  };
  const caseFlows: z.infer<typeof caseFlowsSchema> = {
    caseFlows: listCaseFlows().map((f) => ({
      name: f.name,
      digipostOnly: f.digipostOnly,
      steps: f.templates.map((code, i) => ({
        step: i + 1,
        templateCode: code,
        dispatch: goesToDigipost(code, f.name) ? 'DIGIPOST' : 'SELF_SEND',
      })),
    })),
  };
  router.get('/templates', (_req, res) => {
    res.json(templates);
  });
  router.get('/case-flows', (_req, res) => {
    res.json(caseFlows);
  });
  return router;
}
