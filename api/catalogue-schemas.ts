// Answer shapes of the template catalogue and the case flows (GET /v1/templates, GET /v1/case-flows).
import { z } from 'zod';
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';

extendZodWithOpenApi(z);

export const templateSchema = z.object({
  code: z.string(),
  title: z.string(),
  /** `_` templates (IKV_, BO_, SV_): may go to Digipost; others are produced for the tenant to send itself. */
  digipostCompatible: z.boolean(),
  mergeDataSchema: z.record(z.string(), z.unknown()).openapi({
    description:
      'The merge data as JSON Schema (draft 2020-12), generated from the zod schema that validates it. Checks JSON Schema cannot express (KID and account number control digits, the total against its lines, deadlines) are made when the letter is submitted',
  }),
});

export const templatesSchema = z.object({ templates: z.array(templateSchema) });

export const caseFlowSchema = z.object({
  name: z.string(),
  /** A `*` flow: its `_` templates go to Digipost. */
  digipostOnly: z.boolean(),
  steps: z.array(
    z.object({
      step: z.number().int(),
      templateCode: z.string(),
      dispatch: z.enum(['DIGIPOST', 'SELF_SEND']).openapi({
        description:
          'DIGIPOST: queued for the next run; SELF_SEND: produced for the tenant to send itself (status SELF_SEND, «Til egen utsendelse»)',
      }),
    }),
  ),
});

export const caseFlowsSchema = z.object({ caseFlows: z.array(caseFlowSchema) });
