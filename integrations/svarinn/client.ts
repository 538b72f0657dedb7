// SvarInn V1 client ("MottakService v1", svarinn-api.md §2 and §10): list the forsendelser waiting for this
// receiving system, download and decrypt one, acknowledge it (kvitterMottak) or report it failed
// (mottakFeilet). Pure HTTP and crypto: no Temporal, no database. Credentials go pre-emptively in a Basic
// header on every call, the download included.
import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { unzipSync } from 'fflate';
import { decryptSvarInnPayload } from './cms';
import { SvarInnError } from './errors';
import { parseForsendelse, type Forsendelse } from './forsendelse';
import { zipCentralDirectory } from './zip-entries';

export interface DownloadedFile {
  filename: string;
  mimeType: string;
  content: Buffer;
  /** Lowercase hex SHA-256 of `content`. */
  sha256: string;
  size: number;
}

export interface RejectedForsendelse {
  /** The item's id when it had one: it can then be reported with mottakFeilet. */
  id?: string;
  problem: string;
  raw: unknown;
}

export interface SvarInnClientOptions {
  /** Where SvarInn lives, e.g. `https://svarut.ks.no` (paths `/tjenester/svarinn/...` are added). */
  baseUrl: string;
  /** The receiving system's (mottakersystem's) id. */
  username: string;
  /** Its service password. */
  password: string;
  /** The private key matching the certificate uploaded to SvarUt, PKCS#1 or PKCS#8 PEM. */
  privateKeyPem: string;
  fetch?: typeof fetch;
  /** Time limit for list, ack and fail calls. Default 30 s. */
  requestTimeoutMs?: number;
  /** Time limit for a whole download. Default 600 s. */
  downloadTimeoutMs?: number;
  /**
   * Verify SHA-256 (where the listing has one) and size against filmetadata. Default true; only test
   * environments turn it off. ZIP entries are always checked against their CRC-32.
   */
  verifyChecksums?: boolean;
}

const ZIP_LOCAL = Buffer.from('PK\x03\x04', 'latin1');
const ZIP_EMPTY = Buffer.from('PK\x05\x06', 'latin1');
const PDF = Buffer.from('%PDF', 'latin1');

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function errorForStatus(status: number, what: string, detail: string): SvarInnError {
  const message = `SvarInn ${what} answered HTTP ${status}${detail ? `: ${detail.slice(0, 300)}` : ''}`;
  if (status === 401 || status === 403) return new SvarInnError('auth', message, { httpStatus: status });
  if (status === 404) return new SvarInnError('not-found', message, { httpStatus: status });
  if (status === 408 || status === 429 || status >= 500)
    return new SvarInnError('transient', message, { httpStatus: status });
  return new SvarInnError('protocol', message, { httpStatus: status });
}

/** The filename in `Content-Disposition: attachment; filename="…"` (or RFC 5987 `filename*`). */
function dispositionFilename(header: string | null): string | undefined {
  if (!header) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star?.[1]) return decodeURIComponent(star[1].trim());
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/.exec(header);
  return (plain?.[1] ?? plain?.[2])?.trim() || undefined;
}

export class SvarInnClient {
  private readonly fetch: typeof fetch;
  private readonly base: URL;
  private readonly authorization: string;
  private readonly key: KeyObject;

  constructor(private readonly opts: SvarInnClientOptions) {
    this.fetch = opts.fetch ?? fetch;
    this.base = new URL(opts.baseUrl.endsWith('/') ? opts.baseUrl : `${opts.baseUrl}/`);
    this.authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`, 'utf8').toString('base64')}`;
    try {
      this.key = createPrivateKey(opts.privateKeyPem);
    } catch (cause) {
      throw new SvarInnError(
        'wrong-key',
        'the SvarInn private key could not be read (expected PKCS#1 or PKCS#8 PEM)',
        {
          cause,
        },
      );
    }
  }

  private url(path: string): URL {
    return new URL(path, this.base);
  }

  private async call(
    what: string,
    url: URL,
    init: { method: string; body?: string; contentType?: string; accept?: string },
    timeoutMs: number,
  ): Promise<Response> {
    const headers: Record<string, string> = { Authorization: this.authorization };
    if (init.accept) headers.Accept = init.accept;
    if (init.contentType) headers['Content-Type'] = init.contentType;
    try {
      return await this.fetch(url, {
        method: init.method,
        headers,
        body: init.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new SvarInnError('transient', `SvarInn ${what} failed: ${(cause as Error).message}`, { cause });
    }
  }

  private async failFrom(res: Response, what: string): Promise<never> {
    const detail = await res.text().catch(() => '');
    throw errorForStatus(res.status, what, detail);
  }

  /**
   * The forsendelser waiting for this receiving system (at most 200; acknowledge to see more), each parsed
   * leniently, plus the elements that could not be read at all, which the caller should report.
   */
  async listNewDetailed(): Promise<{ items: Forsendelse[]; rejected: RejectedForsendelse[] }> {
    const what = 'hentNyeForsendelser';
    const res = await this.call(
      what,
      this.url('tjenester/svarinn/mottaker/hentNyeForsendelser'),
      { method: 'GET', accept: 'application/json' },
      this.opts.requestTimeoutMs ?? 30_000,
    );
    if (res.status !== 200) await this.failFrom(res, what);
    let json: unknown;
    try {
      json = JSON.parse(await res.text());
    } catch (cause) {
      if (cause instanceof SyntaxError)
        throw new SvarInnError('protocol', `SvarInn ${what} did not answer JSON: ${cause.message}`, {
          cause,
        });
      throw new SvarInnError('transient', `SvarInn ${what} was interrupted: ${(cause as Error).message}`, {
        cause,
      });
    }
    if (!Array.isArray(json))
      throw new SvarInnError('protocol', `SvarInn ${what} did not answer a JSON array`);
    const items: Forsendelse[] = [];
    const rejected: RejectedForsendelse[] = [];
    for (const element of json) {
      const parsed = parseForsendelse(element);
      if (parsed.ok) items.push(parsed.forsendelse);
      else
        rejected.push({ ...(parsed.id ? { id: parsed.id } : {}), problem: parsed.problem, raw: parsed.raw });
    }
    return { items, rejected };
  }

  /** The readable forsendelser waiting for this receiving system; see listNewDetailed for the unreadable ones. */
  async listNew(): Promise<Forsendelse[]> {
    return (await this.listNewDetailed()).items;
  }

  /**
   * Downloads the item's file from its `downloadUrl`, decrypts it, unpacks a ZIP (or keeps a single PDF)
   * and checks every file against `filmetadata`. Files come back in filmetadata order.
   */
  async download(f: Forsendelse): Promise<DownloadedFile[]> {
    const what = `download of ${f.id}`;
    const url = new URL(f.downloadUrl);
    // downloadUrl is used verbatim (§9.2), but the credentials go only to the SvarInn we were configured with.
    if (url.origin !== this.base.origin)
      throw new SvarInnError(
        'protocol',
        `SvarInn ${what}: downloadUrl ${url.origin} is not ${this.base.origin}`,
      );
    const res = await this.call(what, url, { method: 'GET' }, this.opts.downloadTimeoutMs ?? 600_000);
    if (res.status !== 200) await this.failFrom(res, what);
    const encrypted = await this.readBody(res, what);
    const plain = decryptSvarInnPayload(encrypted, this.key);
    const { files, zipped } = this.unpack(plain, f, res.headers);
    if (this.opts.verifyChecksums !== false) verifyAgainstMetadata(files, zipped, f);
    return files;
  }

  /** Reads the body chunk by chunk; a connection that ends early is a transient failure. */
  private async readBody(res: Response, what: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let received = 0;
    try {
      if (res.body) {
        for await (const chunk of res.body) {
          chunks.push(Buffer.from(chunk));
          received += chunk.byteLength;
        }
      }
    } catch (cause) {
      throw new SvarInnError('transient', `SvarInn ${what} was interrupted after ${received} bytes`, {
        cause,
      });
    }
    const expected = res.headers.get('content-length');
    if (expected !== null && Number(expected) !== received)
      throw new SvarInnError('transient', `SvarInn ${what} ended after ${received} of ${expected} bytes`);
    return Buffer.concat(chunks);
  }

  private unpack(
    plain: Buffer,
    f: Forsendelse,
    headers: Headers,
  ): { files: DownloadedFile[]; zipped: boolean } {
    const magic = plain.subarray(0, 4);
    if (magic.equals(ZIP_LOCAL) || magic.equals(ZIP_EMPTY)) {
      let entries: Record<string, Uint8Array>;
      try {
        // fflate reads the central directory, so Java's data-descriptor entries (sizes 0 locally) work.
        entries = unzipSync(plain);
      } catch (cause) {
        throw new SvarInnError('corrupt', `SvarInn download of ${f.id}: the ZIP cannot be read`, { cause });
      }
      const recorded = zipCentralDirectory(plain);
      const named = Object.entries(entries).filter(([name]) => !name.endsWith('/'));
      for (const [name, bytes] of named) {
        const record = recorded.get(name);
        if (!record)
          throw new SvarInnError(
            'corrupt',
            `SvarInn download of ${f.id}: ${name} is not in the ZIP directory`,
          );
        const actual = crc32(bytes) >>> 0;
        if (actual !== record.crc32 || bytes.byteLength !== record.size)
          throw new SvarInnError(
            'corrupt',
            `SvarInn download of ${f.id}: ZIP entry ${name} does not match its CRC-32 and size ` +
              `(${actual.toString(16)}/${bytes.byteLength}, the ZIP says ${record.crc32.toString(16)}/${record.size})`,
          );
      }
      const mimeOf = new Map(f.filmetadata.map((m) => [m.filnavn, m.mimetype]));
      const order = new Map(f.filmetadata.map((m, i) => [m.filnavn, i]));
      named.sort(([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
      const files = named.map(([name, bytes]) => ({
        filename: name,
        mimeType: mimeOf.get(name) ?? 'application/octet-stream',
        content: Buffer.from(bytes),
        sha256: sha256(bytes),
        size: bytes.byteLength,
      }));
      return { files, zipped: true };
    }
    const only = f.filmetadata.length === 1 ? f.filmetadata[0] : undefined;
    const headerType = headers.get('content-type')?.split(';')[0]?.trim();
    if (headerType === 'application/zip')
      throw new SvarInnError('corrupt', `SvarInn download of ${f.id} is announced as a ZIP but is not one`);
    const isPdf = magic.equals(PDF);
    const file: DownloadedFile = {
      filename:
        only?.filnavn ??
        dispositionFilename(headers.get('content-disposition')) ??
        `dokument-${f.id.slice(0, 8)}${isPdf ? '.pdf' : ''}`,
      mimeType: only?.mimetype ?? (isPdf ? 'application/pdf' : (headerType ?? 'application/octet-stream')),
      content: plain,
      sha256: sha256(plain),
      size: plain.length,
    };
    return { files: [file], zipped: false };
  }

  /** kvitterMottak: the item is received and will not be listed again. */
  async acknowledge(forsendelseId: string): Promise<void> {
    const what = `kvitterMottak of ${forsendelseId}`;
    const res = await this.call(
      what,
      this.url(`tjenester/svarinn/kvitterMottak/forsendelse/${encodeURIComponent(forsendelseId)}`),
      { method: 'POST' },
      this.opts.requestTimeoutMs ?? 30_000,
    );
    if (res.status < 200 || res.status > 299) await this.failFrom(res, what);
    await res.body?.cancel();
  }

  /**
   * mottakFeilet. `permanent: true` means this system can never receive the item: SvarUt takes it out of
   * SvarInn and delivers it another way. `permanent: false` only writes the message in the sender's event
   * log; the item stays listed.
   */
  async reportFailed(forsendelseId: string, o: { permanent: boolean; message: string }): Promise<void> {
    const what = `mottakFeilet of ${forsendelseId}`;
    const feilmelding = o.message.trim() || 'Mottak feilet';
    const res = await this.call(
      what,
      this.url(`tjenester/svarinn/mottakFeilet/forsendelse/${encodeURIComponent(forsendelseId)}`),
      {
        method: 'POST',
        contentType: 'application/json',
        body: JSON.stringify({ feilmelding, permanent: o.permanent }),
      },
      this.opts.requestTimeoutMs ?? 30_000,
    );
    if (res.status < 200 || res.status > 299) await this.failFrom(res, what);
    await res.body?.cancel();
  }
}

/**
 * Every file named in filmetadata must be present with the listed SHA-256 (when the listing has one: older
 * SvarInn versions send none) and size (size 0 = unknown), and a ZIP must hold nothing else. One exception (§2): a single file standing for several (SvarUt merged them into
 * one PDF) has nothing per file to compare with.
 */
function verifyAgainstMetadata(files: DownloadedFile[], zipped: boolean, f: Forsendelse): void {
  if (!zipped && f.filmetadata.length !== 1) return;
  const fail = (message: string) => {
    throw new SvarInnError('checksum', `SvarInn download of ${f.id}: ${message}`);
  };
  const byName = new Map(files.map((file) => [file.filename, file]));
  for (const m of f.filmetadata) {
    const file = byName.get(m.filnavn);
    if (!file) {
      fail(`${m.filnavn} is listed in filmetadata but not in the download`);
      return;
    }
    if (m.sha256hash !== null && file.sha256 !== m.sha256hash)
      fail(`${m.filnavn} has SHA-256 ${file.sha256}, filmetadata says ${m.sha256hash}`);
    if (m.size !== null && file.size !== m.size)
      fail(`${m.filnavn} has ${file.size} bytes, filmetadata says ${m.size}`);
  }
  const listed = new Set(f.filmetadata.map((m) => m.filnavn));
  const extra = files.filter((file) => !listed.has(file.filename)).map((file) => file.filename);
  if (extra.length > 0) fail(`the download holds files not in filmetadata: ${extra.join(', ')}`);
}
