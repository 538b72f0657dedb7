// The Digipost client's transport (digipost-api.md §1): discovers URIs from the entry point by link relation,
// signs every request (signing.ts), checks every response's Date and body hash and verifies its signature
// against the entry point's certificate (cached, re-fetched once when a signature does not verify), and maps
// failures to DigipostError. The operations (identification.ts, sending.ts, …) speak only through it.
import { createHash, createPrivateKey, createVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { signedHeaders } from './signing';
import { DigipostError } from './errors';
import { errorFrom, linksOf, parser, pathOf, str, V8, type Xml } from './xml';

const MAX_SKEW_MS = 5 * 60_000;

export interface TransportOptions {
  /** https://api.digipost.no (production), https://api.test.digipost.no (test), or a simulator. */
  baseUrl: string;
  /** The broker's Digipost account id (X-Digipost-UserId), not the organisation number. */
  brokerId: string;
  /** PKCS#8 or PKCS#1 PEM; see loadDigipostKey for PKCS#12 files. */
  privateKeyPem: string;
  fetch?: typeof fetch;
  /** Per request; a timeout is a retryable CONNECTION_ERROR. Default 60 s. */
  timeoutMs?: number;
  /** How long the entry point (certificate and links) is cached. Default 10 min. */
  entryPointTtlMs?: number;
}

interface EntryPoint {
  certificate: X509Certificate;
  /** Relation name (last path segment of `rel`, upper-cased) → URI. */
  links: Map<string, string>;
  fetchedAt: number;
}

export class DigipostTransport {
  private entryPoint?: EntryPoint;

  /** Parsed once: parsing the PEM costs more than the signature itself. */
  private readonly signingKey: KeyObject;

  constructor(private readonly opts: TransportOptions) {
    this.signingKey = createPrivateKey(opts.privateKeyPem);
  }

  private async fetchEntryPoint(): Promise<EntryPoint> {
    const res = await this.exchange('GET', '/', undefined, undefined);
    // The entry point's own signature is not checked (§1.4); Date and body hash are, in exchange().
    if (res.status !== 200) throw errorFrom(res.status, res.body);
    const ep = parser.parse(res.body.toString('utf8')).entrypoint as Xml | undefined;
    const pem = str(ep?.certificate);
    if (!pem) throw new DigipostError('SERVER_ERROR', 'entry point has no certificate', res.status);
    this.entryPoint = {
      certificate: new X509Certificate(pem),
      links: linksOf(ep!.link),
      fetchedAt: Date.now(),
    };
    return this.entryPoint;
  }

  private async currentEntryPoint(): Promise<EntryPoint> {
    const ttl = this.opts.entryPointTtlMs ?? 10 * 60_000;
    if (this.entryPoint && Date.now() - this.entryPoint.fetchedAt < ttl) return this.entryPoint;
    return this.fetchEntryPoint();
  }

  /** The path (and query) of a link, against our base URL: links are discovered, hosts are configured. */
  async link(relation: string): Promise<string> {
    const uri = (await this.currentEntryPoint()).links.get(relation.toUpperCase());
    if (!uri) throw new DigipostError('GENERAL_ERROR', `the entry point has no ${relation} link`, 200, false);
    return pathOf(uri);
  }

  /** One signed HTTP exchange; checks the response's Date and body hash (not its signature). */
  private async exchange(
    method: string,
    path: string,
    body: Buffer | undefined,
    contentType: string | undefined,
  ): Promise<{ status: number; body: Buffer; headers: Headers; path: string }> {
    const url = new URL(path, this.opts.baseUrl);
    const headers: Record<string, string> = {
      Accept: V8,
      'Accept-Encoding': 'identity',
      ...signedHeaders({
        method,
        url,
        body,
        userId: this.opts.brokerId,
        privateKeyPem: this.signingKey,
      }),
    };
    if (contentType) headers['Content-Type'] = contentType;
    let res: Response;
    let resBody: Buffer;
    try {
      res = await (this.opts.fetch ?? fetch)(url, {
        method,
        headers,
        body: body ? new Uint8Array(body) : undefined,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 60_000),
      });
      resBody = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      const cause = (e as Error & { cause?: Error }).cause;
      throw new DigipostError(
        'CONNECTION_ERROR',
        `${method} ${url.pathname}: ${(e as Error).message}${cause ? ` (${cause.message})` : ''}`,
        0,
      );
    }
    const date = res.headers.get('date');
    if (!date || !(Math.abs(Date.now() - Date.parse(date)) <= MAX_SKEW_MS))
      throw new DigipostError(
        'SERVER_SIGNATURE_ERROR',
        'response Date missing or outside ±5 min',
        res.status,
      );
    const hash = res.headers.get('x-content-sha256');
    if (resBody.length > 0 && hash !== createHash('sha256').update(resBody).digest('base64'))
      throw new DigipostError(
        'SERVER_SIGNATURE_ERROR',
        'response X-Content-SHA256 missing or wrong',
        res.status,
      );
    return { status: res.status, body: resBody, headers: res.headers, path: url.pathname };
  }

  /** A signed exchange whose response signature verifies with the root entry point's certificate (§1.4). */
  async request(
    method: string,
    path: string,
    body?: Buffer,
    contentType?: string,
  ): Promise<{ status: number; body: Buffer }> {
    const ep = await this.currentEntryPoint();
    const res = await this.exchange(method, path, body, contentType);
    let canonical = `${res.status}\n${res.path.toLowerCase()}\ndate: ${res.headers.get('date')}\n`;
    const hash = res.headers.get('x-content-sha256');
    if (hash) canonical += `x-content-sha256: ${hash}\n`;
    const signature = res.headers.get('x-digipost-signature') ?? '';
    const verifies = (cert: X509Certificate) =>
      createVerify('RSA-SHA256').update(canonical, 'utf8').verify(cert.publicKey, signature, 'base64');
    // A failure may mean Digipost changed its certificate: fetch the entry point once more, then give up.
    if (!verifies(ep.certificate) && !verifies((await this.fetchEntryPoint()).certificate))
      throw new DigipostError('SERVER_SIGNATURE_ERROR', 'response signature does not verify', res.status);
    return res;
  }

  /** A verified XML exchange that must answer 2xx with `<root>`; an empty element reads as `{}`. */
  async xml(method: string, path: string, root: string, body?: string): Promise<Xml> {
    const res = await this.request(
      method,
      path,
      body === undefined ? undefined : Buffer.from(body, 'utf8'),
      body === undefined ? undefined : V8,
    );
    if (res.status < 200 || res.status >= 300) throw errorFrom(res.status, res.body);
    const parsed = (parser.parse(res.body.toString('utf8')) as Xml)[root] as Xml | string | undefined;
    if (parsed === undefined)
      throw new DigipostError('SERVER_ERROR', `expected <${root}> in the response`, res.status);
    return typeof parsed === 'object' ? parsed : {}; // an empty element parses as ''
  }
}
