// HTTP for the Noark 5 Tjenestegrensesnitt (archive-noark5.md §1.1, §1.4): bearer login discovered from the
// service root, `application/vnd.noark5+json` bodies, link lookup by relation key, list reading, and typed
// errors: ArchiveRefusedError (the archive said no: permanent, with its own words) or ArchiveUnavailableError
// (5xx, timeouts, no answer: try again).

export const MEDIA_TYPE = 'application/vnd.noark5+json';
/** OpenID Connect Discovery 1.0 §4: the discovery document is plain JSON (§1.4 point 10). */
const DISCOVERY_ACCEPT = 'application/json';
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
} as const;

/**
 * The code lists this client reads, by the field that holds the code, with the standard's rel strings as
 * written in its rel list: all lower case (`tilknyttetregistreringsom`), never built from the field name
 * (§1.4 point 11).
 */
export const codeListRel = {
  saksstatus: `${REL}metadata/saksstatus/`,
  journalposttype: `${REL}metadata/journalposttype/`,
  journalstatus: `${REL}metadata/journalstatus/`,
  korrespondanseparttype: `${REL}metadata/korrespondanseparttype/`,
  dokumenttype: `${REL}metadata/dokumenttype/`,
  dokumentstatus: `${REL}metadata/dokumentstatus/`,
  tilknyttetRegistreringSom: `${REL}metadata/tilknyttetregistreringsom/`,
  variantformat: `${REL}metadata/variantformat/`,
} as const;
export type CodeListField = keyof typeof codeListRel;

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

interface ErrorDetail {
  httpStatus?: number;
  /** What the archive itself said (its `message`, or the start of its answer), verbatim. */
  serverMessage?: string;
}

/** Any error of the archive client; `retryable` tells the two kinds below apart. */
export abstract class ArchiveError extends Error {
  abstract readonly retryable: boolean;
  readonly httpStatus?: number;
  readonly serverMessage?: string;
  constructor(message: string, detail: ErrorDetail = {}) {
    super(message);
    this.httpStatus = detail.httpStatus;
    this.serverMessage = detail.serverMessage;
  }
}

/** The archive refused (4xx, an error inside a 200, a missing code list, bad input): trying again cannot help. */
export class ArchiveRefusedError extends ArchiveError {
  readonly retryable = false;
  override name = 'ArchiveRefusedError';
}

/** The archive is down, slow or failing (5xx, 408, 429, no answer): the same call may succeed later. */
export class ArchiveUnavailableError extends ArchiveError {
  readonly retryable = true;
  override name = 'ArchiveUnavailableError';
}

function errorFor(status: number, message: string, serverMessage?: string): ArchiveError {
  const detail = { httpStatus: status, ...(serverMessage !== undefined && { serverMessage }) };
  return RETRYABLE_STATUS.has(status)
    ? new ArchiveUnavailableError(message, detail)
    : new ArchiveRefusedError(message, detail);
}

/** The archive's own words in an error answer: the JSON `message` when there is one, else the text. */
function serverWords(content: Buffer): string | undefined {
  const text = content.toString('utf8').trim();
  if (!text) return undefined;
  try {
    const body = JSON.parse(text) as { message?: unknown; error_description?: unknown; error?: unknown };
    for (const v of [body.message, body.error_description, body.error])
      if (typeof v === 'string' && v) return v.slice(0, 500);
  } catch {
    // not JSON: the text itself
  }
  return text.slice(0, 500);
}

/** A Noark object as the server sends it: attributes plus `_links` keyed by relation. */
export interface NoarkObject {
  [field: string]: unknown;
  _links?: Record<string, { href: string; templated?: boolean }>;
}

/** A list answer (`{count, results, _links}`), as opposed to one object. */
export function isList(obj: NoarkObject): boolean {
  return typeof obj.count === 'number' || Array.isArray(obj.results);
}

export function hasLink(obj: NoarkObject, relation: string): boolean {
  return typeof obj._links?.[relation]?.href === 'string';
}

/** The href of `relation`, without any URI-template part (`{?$filter…}`), which some servers add. */
export function linkOf(obj: NoarkObject, relation: string): string {
  const href = obj._links?.[relation]?.href;
  if (typeof href !== 'string') throw new ArchiveRefusedError(`the archive does not offer ${relation} here`);
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

/** How the client signs in: a user (password grant), an OAuth2 client, or a bearer token obtained elsewhere. */
export interface Credentials {
  username?: string;
  password?: string;
  /** OAuth2 client for the token request (client_secret_basic). */
  clientId?: string;
  clientSecret?: string;
  /** Token URL; when absent it is found through the root's OIDC login rel. */
  tokenUrl?: string;
  /** A bearer token obtained elsewhere. */
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
      throw new ArchiveUnavailableError(`cannot reach the archive: ${(e as Error).message}`);
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
    if (!res.ok) {
      const words = serverWords(content);
      throw errorFor(res.status, `archive login failed (${res.status})${words ? `: ${words}` : ''}`, words);
    }
    let token: unknown;
    try {
      token = (JSON.parse(content.toString('utf8')) as { access_token?: unknown }).access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string') throw new ArchiveRefusedError('archive login gave no access_token');
    this.token = token;
  }

  /** The OIDC discovery document found through the root's login rel; the token URL may sit under either key. */
  private async discoverTokenUrl(): Promise<string> {
    const root = await this.json('GET', this.rootUrl, undefined, { auth: false });
    const discovery = { auth: false, accept: DISCOVERY_ACCEPT };
    let doc = await this.json('GET', linkOf(root, rel.loginOidc), undefined, discovery);
    if (!doc.token_endpoint && !doc.authorization_endpoint && typeof doc.issuer === 'string') {
      const issuer = doc.issuer.endsWith('/') ? doc.issuer : `${doc.issuer}/`;
      doc = await this.json(
        'GET',
        new URL('.well-known/openid-configuration', issuer).toString(),
        undefined,
        discovery,
      );
    }
    const url = doc.token_endpoint ?? doc.authorization_endpoint;
    if (typeof url !== 'string')
      throw new ArchiveRefusedError('the archive advertises no token URL for login');
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
        const words = serverWords(content);
        throw errorFor(
          res.status,
          `${method} ${new URL(url).pathname} answered ${res.status}${words ? `: ${words}` : ''}`,
          words,
        );
      }
      return { res, content };
    }
  }

  /**
   * One JSON exchange. A body whose numeric `status` is 400 or more is an error even when HTTP said 200
   * (§1.4 point 13: one server answers a search it cannot run that way).
   */
  async json(
    method: string,
    url: string,
    body?: unknown,
    opts: { auth?: boolean; accept?: string } = {},
  ): Promise<NoarkObject> {
    const { content } = await this.request(
      method,
      url,
      body === undefined ? undefined : { content: JSON.stringify(body), contentType: MEDIA_TYPE },
      opts,
    );
    const path = new URL(url).pathname;
    let parsed: unknown;
    try {
      parsed = JSON.parse(content.toString('utf8'));
    } catch {
      throw new ArchiveRefusedError(`${method} ${path} did not answer JSON`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new ArchiveRefusedError(`${method} ${path} did not answer a JSON object`);
    const answer = parsed as NoarkObject;
    if (typeof answer.status === 'number' && answer.status >= 400) {
      const words = typeof answer.message === 'string' ? answer.message.slice(0, 500) : undefined;
      throw errorFor(
        answer.status,
        `${method} ${path} answered 200 with an error ${answer.status}${words ? `: ${words}` : ''}`,
        words,
      );
    }
    return answer;
  }

  /** What a link leads to, as a list: the results of a list answer, or the one object. */
  async follow(url: string): Promise<NoarkObject[]> {
    const first = await this.json('GET', url);
    return isList(first) ? this.list(url, first) : [first];
  }

  /** Every result of a list, following `next` links; an empty list may omit `results`. */
  async list(url: string, firstPage?: NoarkObject): Promise<NoarkObject[]> {
    const all: NoarkObject[] = [];
    const seen = new Set<string>();
    let next: string | undefined = url;
    while (next && !seen.has(next)) {
      seen.add(next);
      const page: NoarkObject = next === url && firstPage ? firstPage : await this.json('GET', next);
      const results = Array.isArray(page.results) ? (page.results as NoarkObject[]) : [];
      all.push(...results);
      next = results.length > 0 && hasLink(page, 'next') ? linkOf(page, 'next') : undefined;
    }
    return all;
  }
}
