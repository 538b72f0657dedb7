// The custom search attributes, declared once: the workflows and starters set them, and the dev server, the
// cluster start and the README register the same list (temporal/dev-server.ts, temporal/cluster.ts). None of
// them is personal data: a tenant id, the case system's case reference (refused at the API when it holds a
// national id, api/letters-schemas.ts) and status codes.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { patched, upsertSearchAttributes } from '@temporalio/workflow';

export const TENANT_ID = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const CASE_ID = defineSearchAttributeKey('CaseId', SearchAttributeType.KEYWORD);
/** The letter's status code (domain/letter-status.ts), set by the letter workflow when it changes. */
export const LETTER_STATUS = defineSearchAttributeKey('LetterStatus', SearchAttributeType.KEYWORD);
/** The inbound item's status code (domain/inbound-status.ts), set by the intake workflow when it changes. */
export const INBOUND_STATUS = defineSearchAttributeKey('InboundStatus', SearchAttributeType.KEYWORD);
/** The run's status code (SENDING, DONE, CANCELLED), set by the run workflow. */
export const RUN_STATUS = defineSearchAttributeKey('RunStatus', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [TENANT_ID, CASE_ID, LETTER_STATUS, INBOUND_STATUS, RUN_STATUS] as const;

/** The patch id under which workflows set status attributes (histories from before it replay unchanged). */
export const STATUS_ATTRIBUTES_PATCH = 'search-attributes-status';

/** `Name=Keyword` pairs, as `temporal server start-dev --search-attribute` and the README take them. */
export function searchAttributeFlags(): string[] {
  return SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=Keyword`]);
}

type StatusKey = SearchAttributeKey<'KEYWORD'>;

/**
 * In a workflow: a setter for one status attribute that upserts only on a change. Behind a patch, so a history
 * written before workflows set status attributes replays without the upsert commands it never had.
 */
export function statusAttribute(key: StatusKey): (status: string) => void {
  let shown: string | undefined;
  return (status) => {
    if (status === shown || !patched(STATUS_ATTRIBUTES_PATCH)) return;
    shown = status;
    upsertSearchAttributes([{ key, value: status }]);
  };
}
