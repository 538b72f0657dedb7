// Document events (digipost-api.md §8): one page, or every page of a window.
import type { DigipostTransport } from './transport';
import { str, type Xml } from './xml';

export interface DocumentEvent {
  /** The document's uuid. */
  uuid: string;
  /** OPENED, POSTMARKED, PRINT_FAILED, SHREDDED, … and any type Digipost adds. */
  type: string;
  created: string;
  documentCreated?: string;
  /** The metadata element's attributes, e.g. `postmarked-date`, `error-code`. */
  metadata?: Record<string, string>;
  /** The metadata's `xsi:type`, e.g. `postmarked-metadata`. */
  metadataType?: string;
}

/** `yyyy-MM-dd'T'HH:mm:ss.SSSxxx` as the Java client writes it (§15.11): UTC, written as +00:00, never Z. */
export function eventQueryTime(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

/**
 * One page of document events in [from, to) (§8). Fewer than `maxResults` events means the window is
 * exhausted. Events come for the broker, or for `sender` when the client sends on behalf of one.
 */
export async function documentEvents(
  t: DigipostTransport,
  sender: string | undefined,
  q: {
    from: Date;
    to: Date;
    offset?: number;
    maxResults?: number;
  },
): Promise<{ events: DocumentEvent[] }> {
  const params = [
    `from=${encodeURIComponent(eventQueryTime(q.from))}`,
    `to=${encodeURIComponent(eventQueryTime(q.to))}`,
    `offset=${q.offset ?? 0}`,
    `maxResults=${q.maxResults ?? 100}`,
    ...(sender ? [`sender=${encodeURIComponent(sender)}`] : []),
  ];
  const r = await t.xml('GET', `${await t.link('document_events')}?${params.join('&')}`, 'document-events');
  const events = ((r.event as Xml[] | undefined) ?? []).map((e): DocumentEvent => {
    const meta = e.metadata as Xml | undefined;
    const attributes = meta
      ? Object.fromEntries(
          Object.entries(meta)
            .filter(([k]) => k.startsWith('@') && k !== '@type' && !k.startsWith('@xmlns'))
            .map(([k, v]) => [k.slice(1), String(v)]),
        )
      : undefined;
    return {
      uuid: str(e['@uuid']) ?? '',
      type: str(e['@type']) ?? '',
      created: str(e['@created']) ?? '',
      ...(e['@document-created'] !== undefined ? { documentCreated: str(e['@document-created']) } : {}),
      ...(attributes ? { metadata: attributes } : {}),
      ...(meta?.['@type'] !== undefined ? { metadataType: str(meta['@type']) } : {}),
    };
  });
  return { events };
}

/**
 * Every event in [from, to), read page by page until a page is short (§8). Events may arrive late with a
 * `created` inside a window already read: re-read overlapping windows and de-duplicate on (uuid, type, created).
 */
export async function allDocumentEvents(
  t: DigipostTransport,
  sender: string | undefined,
  q: { from: Date; to: Date; pageSize?: number },
): Promise<DocumentEvent[]> {
  const pageSize = q.pageSize ?? 100;
  const all: DocumentEvent[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const { events } = await documentEvents(t, sender, {
      from: q.from,
      to: q.to,
      offset,
      maxResults: pageSize,
    });
    all.push(...events);
    if (events.length < pageSize) return all;
  }
}
