// The batch API (digipost-api.md §9): a run's letters are sent into one batch, which is then committed (or
// cancelled). Each batch's own links (complete, delete) are kept from its last answer.
import type { DigipostTransport } from './transport';
import { DigipostError } from './errors';
import { errorFrom, linksOf, pathOf, str, xmlDocument, type Xml } from './xml';

export type BatchStatus = 'CREATED' | 'NOT_COMMITTED' | 'COMMITTED' | 'DONE' | (string & {});

export interface Batch {
  uuid: string;
  status: BatchStatus;
  countDigipost: number;
  countPrint: number;
}

export class Batches {
  private readonly links = new Map<string, Map<string, string>>();

  constructor(private readonly t: DigipostTransport) {}

  private from(b: Xml): Batch {
    const uuid = str(b.uuid) ?? '';
    this.links.set(uuid, linksOf(b.link));
    return {
      uuid,
      status: str(b.status) ?? '',
      countDigipost: Number(b['count-digipost'] ?? 0),
      countPrint: Number(b['count-print'] ?? 0),
    };
  }

  private async link(uuid: string, relation: string): Promise<string> {
    let uri = this.links.get(uuid)?.get(relation);
    if (!uri) {
      await this.get(uuid);
      uri = this.links.get(uuid)?.get(relation);
    }
    if (!uri)
      throw new DigipostError('GENERAL_ERROR', `batch ${uuid} offers no ${relation} link`, 200, false);
    return pathOf(uri);
  }

  async create(uuid: string): Promise<Batch> {
    const body = xmlDocument('batch', { uuid });
    return this.from(await this.t.xml('POST', await this.t.link('create_batch'), 'batch', body));
  }

  async get(uuid: string): Promise<Batch> {
    const base = await this.t.link('get_batch');
    return this.from(await this.t.xml('GET', `${base}${encodeURIComponent(uuid)}`, 'batch'));
  }

  /** Commits the batch: Digipost delivers its digital letters now and prints the rest the next working day. */
  async complete(uuid: string): Promise<Batch> {
    return this.from(await this.t.xml('POST', await this.link(uuid, 'COMPLETE_BATCH'), 'batch'));
  }

  /** Cancels a batch that is not yet committed: Digipost deletes its messages. */
  async cancel(uuid: string): Promise<void> {
    const res = await this.t.request('DELETE', await this.link(uuid, 'SELF_DELETE'));
    if (res.status < 200 || res.status >= 300) throw errorFrom(res.status, res.body);
    this.links.delete(uuid);
  }
}
