// 405 Method Not Allowed, with `Allow`, for a path the API serves with other methods (RFC 9110 §15.5.6); the
// paths and methods are read from the OpenAPI document, so the answer and the document cannot disagree.
import type { RequestHandler } from 'express';
import { ApiError } from './errors';

/**
 * The documented paths with their methods, literal ones first: `/v1/runs/preview` is its own path, not a run id
 * of `/v1/runs/{id}`.
 */
function documentedRoutes(doc: { paths?: Record<string, object> }) {
  const templated = (path: string) => (path.match(/\{/g) ?? []).length;
  const paths = Object.entries(doc.paths ?? {}).sort(([a], [b]) => templated(a) - templated(b));
  return paths.map(([path, ops]) => {
    const methods = Object.keys(ops)
      .filter((m) => ['get', 'put', 'post', 'delete', 'patch'].includes(m))
      .map((m) => m.toUpperCase());
    if (methods.includes('GET')) methods.push('HEAD');
    const pattern = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
    return { re: new RegExp(`^${pattern}$`), methods, literal: !path.includes('{') };
  });
}

/**
 * OPTIONS for a documented path, answered from the document before any router: a path served by several
 * routers (GET /v1/letters and POST /v1/letters) would otherwise be answered by the first with only its own.
 */
export function documentedOptions(doc: { paths?: Record<string, object> }): RequestHandler {
  const routes = documentedRoutes(doc);
  return (req, res, next) => {
    if (req.method !== 'OPTIONS') return next();
    const route = routes.find((r) => r.re.test(req.baseUrl + req.path));
    if (!route) return next();
    res.set('allow', route.methods.join(', '));
    res.status(204).end();
  };
}

/**
 * 405 for a documented path asked with a method it does not serve. `literalOnly`: only the paths without a
 * template, mounted before the routers, so that a templated route (`/runs/:id`, `/letters/:id`) does not take a
 * literal path (`/runs/preview`, `/letters/bulk`) asked with another method and answer 404 for it.
 */
export function methodNotAllowed(
  doc: { paths?: Record<string, object> },
  opts: { literalOnly?: boolean } = {},
): RequestHandler {
  const routes = documentedRoutes(doc).filter((r) => r.literal || !opts.literalOnly);
  return (req, res, next) => {
    const path = req.baseUrl + req.path;
    const route = routes.find((r) => r.re.test(path));
    if (!route || route.methods.includes(req.method)) return next();
    res.set('allow', route.methods.join(', '));
    if (req.method === 'OPTIONS') return void res.status(204).end();
    throw new ApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `${req.method} is not served for ${path}; allowed: ${route.methods.join(', ')}`,
    );
  };
}
