// Request counts and latencies of the HTTP API by route (the route's pattern, never the raw path: no ids in
// labels), method and status.
import type { RequestHandler } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';

export function httpMetrics(registry: Registry): RequestHandler {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'postgang_http_requests_total',
    help: 'HTTP requests answered by the API',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'postgang_http_request_duration_seconds',
    help: 'Time from request to response, by route',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      // An error passed on to the app's handler resets req.baseUrl; the mount point noted on the way in holds.
      const base = (res.locals.routeBase as string | undefined) ?? req.baseUrl;
      const route = req.route?.path ? `${base}${String(req.route.path)}` : 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  };
}

/** Notes a router's mount point for the route label; put it first in a router mounted under a path. */
export const noteRouteBase: RequestHandler = (req, res, next) => {
  res.locals.routeBase = req.baseUrl;
  next();
};
