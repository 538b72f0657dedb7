// HTTP for the Noark 5 Tjenestegrensesnitt (archive-noark5.md §1.1, §1.4): bearer login discovered from the
// service root, `application/vnd.noark5+json` bodies, link lookup by relation key, list reading, and errors
// classified as retryable or not.

export const MEDIA_TYPE = 'application/vnd.noark5+json';
const REL = 'https://rel.arkivverket.no/noark5/v5/api/';

/** Relation keys used by this client (kap. 6–7); only these are fixed, hrefs are taken as given. */
export const rel = {
  loginOidc: `${REL}login/oidc/`,
  arkivstruktur: `${REL}arkivstruktur/`,
  sakarkiv: `${REL}sakarkiv/`,
  metadata: `${REL}metadata/`,
  arkivdel: `${REL}arkivstruktur/arkivdel/`,
  saksmappe: `${REL}sakarkiv/saksmappe/`,
  mappe: `${REL}arkivstruktur/mappe/`,
  journalpost: `${REL}sakarkiv/journalpost/`,
  registrering: `${REL}arkivstruktur/registrering/`,
  nySaksmappe: `${REL}sakarkiv/ny-saksmappe/`,
  nyJournalpost: `${REL}sakarkiv/ny-journalpost/`,
  korrespondansepart: `${REL}arkivstruktur/korrespondansepart/`,
  nyKorrespondansepartEnhet: `${REL}arkivstruktur/ny-korrespondansepartenhet/`,
  nyKorrespondansepartPerson: `${REL}arkivstruktur/ny-korrespondansepartperson/`,
  dokumentbeskrivelse: `${REL}arkivstruktur/dokumentbeskrivelse/`,
  nyDokumentbeskrivelse: `${REL}arkivstruktur/ny-dokumentbeskrivelse/`,
  dokumentobjekt: `${REL}arkivstruktur/dokumentobjekt/`,
  nyDokumentobjekt: `${REL}arkivstruktur/ny-dokumentobjekt/`,
  fil: `${REL}arkivstruktur/fil/`,
  codeList: (name: string) => `${REL}metadata/${name}/`,
} as const;

export class ArchiveError extends Error {
  readonly retryable: boolean;
  readonly httpStatus?: number;
  constructor(message: string, opts: { retryable: boolean; httpStatus?: number }) {
    super(message);
    this.name = 'ArchiveError';
    this.retryable = opts.retryable;
    this.httpStatus = opts.httpStatus;
  }
}

/** A Noark object as the server sends it: attributes plus `_links` keyed by relation. */
export interface NoarkObject {
  [field: string]: unknown;
  _links?: Record<string, { href: string; templated?: boolean }>;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

export function hasLink(obj: NoarkObject, relation: string): boolean {
  return typeof obj._links?.[relation]?.href === 'string';
}

/** The href of `relation`, without any URI-template part (`{?$filter…}`), which some servers add. */
export function linkOf(obj: NoarkObject, relation: string): string {
  const href = obj._links?.[relation]?.href;
  if (typeof href !== 'string')
    throw new ArchiveError(`the archive does not offer ${relation} here`, { retryable: false });
  return href.replace(/\{[^}]*\}/g, '');
}

/** An OData string literal: single quotes, with quotes inside doubled. */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function withFilter(href: string, filter: string): string {
  const separator = href.includes('?') ? '&' : '?';
  return `${href}${separator}$filter=${encodeURIComponent(filter)}`;
}

export interface Credentials {
  username?: string;
  password?: string;
  clientId?: string;
  clientSecret?: string;
  tokenUrl?: string;
  token?: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export class NoarkHttp {
  private token?: string;
  private readonly fetch: typeof fetch;

  constructor(
    private readonly rootUrl: string,
    private readonly credentials: Credentials,
    fetchImpl?: typeof fetch,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    this.token = credentials.token;
    this.fetch = fetchImpl ?? fetch;
  }

  /** One exchange, the body read in full, within the timeout; no answer in time is a retryable error. */
  private async send(
    url: string,
    init: RequestInit & { headers: Record<string, string> },
  ): Promise<{ res: Response; content: Buffer }> {
    try {
      const res = await this.fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
      return { res, content: Buffer.from(await res.arrayBuffer()) };
    } catch (e) {
      throw new ArchiveError(`cannot reach the archive: ${(e as Error).message}`, { retryable: true });
    }
  }

  private canLogIn(): boolean {
    return !!(this.credentials.username || this.credentials.clientId);
  }

  /** OAuth2 token (password or client-credentials grant, client_secret_basic), §1.4 point 1. */
  private async logIn(): Promise<void> {
    const tokenUrl = this.credentials.tokenUrl ?? (await this.discoverTokenUrl());
    const form = new URLSearchParams();
    if (this.credentials.username) {
      form.set('grant_type', 'password');
      form.set('username', this.credentials.username);
      form.set('password', this.credentials.password ?? '');
    } else form.set('grant_type', 'client_credentials');
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    };
    if (this.credentials.clientId) {
      const basic = `${encodeURIComponent(this.credentials.clientId)}:${encodeURIComponent(this.credentials.clientSecret ?? '')}`;
      headers.Authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
    }
    const { res, content } = await this.send(tokenUrl, { method: 'POST', headers, body: form.toString() });
    const text = content.toString('utf8');
    if (!res.ok)
      throw new ArchiveError(`archive login failed (${res.status}): ${text.slice(0, 200)}`, {
        retryable: RETRYABLE_STATUS.has(res.status),
        httpStatus: res.status,
      });
    const token = (JSON.parse(text) as { access_token?: unknown }).access_token;
    if (typeof token !== 'string')
      throw new ArchiveError('archive login gave no access_token', { retryable: false });
    this.token = token;
  }

  /** The OIDC discovery document found through the root's login rel; the token URL may sit under either key. */
  private async discoverTokenUrl(): Promise<string> {
    const root = await this.json('GET', this.rootUrl, undefined, false);
    let doc = await this.json('GET', linkOf(root, rel.loginOidc), undefined, false);
    if (!doc.token_endpoint && !doc.authorization_endpoint && typeof doc.issuer === 'string') {
      const issuer = doc.issuer.endsWith('/') ? doc.issuer : `${doc.issuer}/`;
      doc = await this.json(
        'GET',
        new URL('.well-known/openid-configuration', issuer).toString(),
        undefined,
        false,
      );
    }
    const url = doc.token_endpoint ?? doc.authorization_endpoint;
    if (typeof url !== 'string')
      throw new ArchiveError('the archive advertises no token URL for login', { retryable: false });
    return url;
  }

  /** One request with the bearer token; on 401 it logs in again once. */
  async request(
    method: string,
    url: string,
    body?: { content: Uint8Array | string; contentType: string },
    opts: { accept?: string; auth?: boolean } = {},
  ): Promise<{ res: Response; content: Buffer }> {
    const auth = opts.auth ?? true;
    if (auth && !this.token && this.canLogIn()) await this.logIn();
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { Accept: opts.accept ?? MEDIA_TYPE };
      if (auth && this.token) headers.Authorization = `Bearer ${this.token}`;
      if (body) headers['Content-Type'] = body.contentType;
      const { res, content } = await this.send(url, {
        method,
        headers,
        body: body
          ? typeof body.content === 'string'
            ? body.content
            : new Uint8Array(body.content)
          : undefined,
      });
      if (res.status === 401 && auth && attempt === 0 && this.canLogIn()) {
        this.token = undefined;
        await this.logIn();
        continue;
      }
      if (!res.ok) {
        const detail = content.toString('utf8').slice(0, 300);
        throw new ArchiveError(`${method} ${new URL(url).pathname} answered ${res.status}: ${detail}`, {
          retryable: RETRYABLE_STATUS.has(res.status),
          httpStatus: res.status,
        });
      }
      return { res, content };
    }
  }

  async json(method: string, url: string, body?: unknown, auth = true): Promise<NoarkObject> {
    const { content } = await this.request(
      method,
      url,
      body === undefined ? undefined : { content: JSON.stringify(body), contentType: MEDIA_TYPE },
      { auth },
    );
    try {
      return JSON.parse(content.toString('utf8')) as NoarkObject;
    } catch {
      throw new ArchiveError(`${method} ${new URL(url).pathname} did not answer JSON`, { retryable: false });
    }
  }

  /** Every result of a list, following `next` links; an empty list may omit `results`. */
  async list(url: string): Promise<NoarkObject[]> {
    const all: NoarkObject[] = [];
    const seen = new Set<string>();
    let next: string | undefined = url;
    while (next && !seen.has(next)) {
      seen.add(next);
      const page = await this.json('GET', next);
      const results = Array.isArray(page.results) ? (page.results as NoarkObject[]) : [];
      all.push(...results);
      next = results.length > 0 && hasLink(page, 'next') ? linkOf(page, 'next') : undefined;
    }
    return all;
  }
}
