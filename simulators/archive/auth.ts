// Login (archive-noark5.md §1.4 points 1 and 10): without a token the root shows only the OIDC login rel; the
// OIDC discovery document is plain JSON and names the token URL; the token endpoint takes the OAuth2 password
// or client-credentials grant with client_secret_basic; every other request needs `Authorization: Bearer`.
import { randomBytes } from 'node:crypto';
import type { Express, Request, Router } from 'express';
import type { SimContext } from './context';
import { failure, HttpError, REL, requireJsonAccept, requirePlainJsonAccept, type Route } from './protocol';
import { link } from './representation';

export interface LoginSettings {
  users: { username: string; password: string }[];
  clients: { clientId: string; clientSecret: string }[];
  tokenUrlKey: 'token_endpoint' | 'authorization_endpoint';
}

export function createAuth(login: LoginSettings) {
  const tokens = new Set<string>();

  function authenticated(req: Request): boolean {
    const m = /^Bearer (.+)$/.exec(req.header('authorization') ?? '');
    return !!m && tokens.has(m[1]!);
  }

  return {
    authenticated,
    requireAuth(req: Request) {
      if (!authenticated(req))
        throw new HttpError(401, 'a valid bearer token is required', { 'WWW-Authenticate': 'Bearer' });
    },
    /** Invalidates every token issued so far, as an expiry would. */
    expireTokens: () => tokens.clear(),

    routes(r: Router, app: Express, ctx: Pick<SimContext, 'api'> & { route: Route; origin: () => string }) {
      const { api, route, origin } = ctx;
      r.get(
        '/',
        route('root', (req) => {
          requireJsonAccept(req);
          const l: Record<string, { href: string }> = {
            [`${REL}login/oidc/`]: link(`${api()}/.well-known/openid-configuration`),
          };
          if (authenticated(req)) {
            l[`${REL}arkivstruktur/`] = link(`${api()}/arkivstruktur`);
            l[`${REL}sakarkiv/`] = link(`${api()}/sakarkiv`);
            l[`${REL}metadata/`] = link(`${api()}/metadata`);
            l[`${REL}admin/system/`] = link(`${api()}/admin/system/`);
          }
          return { status: 200, json: { _links: l } };
        }),
      );
      r.get(
        '/.well-known/openid-configuration',
        route('discovery', (req) => {
          requirePlainJsonAccept(req);
          return {
            status: 200,
            raw: {
              contentType: 'application/json',
              content: Buffer.from(
                JSON.stringify({
                  issuer: `${origin()}/noark5v5`,
                  [login.tokenUrlKey]: `${origin()}/noark5v5/oauth/token`,
                  grant_types_supported: ['password', 'client_credentials'],
                  token_endpoint_auth_methods_supported: ['client_secret_basic'],
                }),
              ),
            },
          };
        }),
      );
      app.post(
        '/noark5v5/oauth/token',
        route('token', (req) => {
          const basic = /^Basic (.+)$/.exec(req.header('authorization') ?? '');
          const [clientId, clientSecret] = basic
            ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(/:(.*)/s)
            : [];
          if (!login.clients.some((c) => c.clientId === clientId && c.clientSecret === clientSecret))
            return failure(401, 'invalid_client', { 'WWW-Authenticate': 'Basic' });
          const form = new URLSearchParams(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
          const grant = form.get('grant_type');
          if (grant === 'password') {
            const ok = login.users.some(
              (u) => u.username === form.get('username') && u.password === form.get('password'),
            );
            if (!ok) return { status: 400, json: { error: 'invalid_grant' } };
          } else if (grant !== 'client_credentials')
            return { status: 400, json: { error: 'unsupported_grant_type' } };
          const token = randomBytes(24).toString('base64url');
          tokens.add(token);
          return { status: 200, json: { access_token: token, token_type: 'bearer', expires_in: 3600 } };
        }),
      );
    },
  };
}
