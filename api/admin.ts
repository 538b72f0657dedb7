// The operator admin panel (admin/): its static files, the few browser modules it imports from node_modules,
// and login/logout. Everything the panel does goes through /v1 with the session cookie (see api/auth.ts).
import express, { Router, type Response } from 'express';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Db } from '../db/connection';
import { checkLogin, endSession, sessionFor, startSession } from '../db/operators';
import { ApiError, fromZod } from './errors';
import { text } from './edge';
import { LoginThrottle, throttledMessage, type ThrottleOptions } from './login-throttle';
import { cookie, CSRF_HEADER, SESSION_COOKIE } from './auth';
import { TEXTS_MODULE, VOCABULARY_MODULE } from './admin-modules';
import { eq } from 'drizzle-orm';
import { receivingSystems } from '../db/schema';

/** Whether the tenant has a receiving system (active or not): it receives SvarInn items. */
async function usesInbound(db: Db, tenantId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: receivingSystems.id })
    .from(receivingSystems)
    .where(eq(receivingSystems.tenantId, tenantId))
    .limit(1);
  return row !== undefined;
}

export interface AdminOptions {
  /** The Temporal Web UI, for links to each workflow (config TEMPORAL_UI_URL); none: no links. */
  temporalUiUrl?: string;
  temporalNamespace: string;
  /** How long a login lasts. */
  sessionTtlMs?: number;
  /** Failed-login limits (default: 5 per user name, 20 per client address, per 15 minutes). */
  throttle?: ThrottleOptions;
}

/**
 * The panel's Content-Security-Policy: its own scripts and styles only, no inline script except the import map
 * in index.html (allowed by its hash), PDFs previewed from blob: URLs in a frame, no framing by other sites.
 */
function contentSecurityPolicy(indexHtml: string): string {
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(indexHtml)?.[1];
  const hash = importMap ? ` 'sha256-${createHash('sha256').update(importMap).digest('base64')}'` : '';
  return [
    "default-src 'self'",
    `script-src 'self'${hash}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "frame-src 'self' blob:",
    "object-src 'self' blob:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}

const EIGHT_HOURS = 8 * 3600_000;
const adminDir = fileURLToPath(new URL('../admin/', import.meta.url));
const require = createRequire(import.meta.url);
/** The ES module build beside a package's CommonJS entry point (`dist/x.js` → `dist/x.mjs`). */
const esmBuild = (specifier: string, file: string) => join(dirname(require.resolve(specifier)), file);

/** The browser builds the panel imports (named in admin/index.html's import map). */
const VENDOR: Record<string, string> = {
  'preact.mjs': esmBuild('preact', 'preact.mjs'),
  'preact-hooks.mjs': esmBuild('preact/hooks', 'hooks.mjs'),
  'htm.mjs': esmBuild('htm', 'htm.mjs'),
};

const loginSchema = z
  .object({ username: text({ max: 200 }), password: text({ max: 500, trim: false }) })
  .strict();

function requireCsrfHeader(req: express.Request) {
  if (req.get(CSRF_HEADER) !== '1')
    throw new ApiError(403, 'CSRF_HEADER_MISSING', `send the header \`${CSRF_HEADER}: 1\``);
}

export function adminRouter({
  db,
  temporalUiUrl,
  temporalNamespace,
  sessionTtlMs,
  throttle: throttleOptions,
}: AdminOptions & { db: Db }) {
  const ttl = sessionTtlMs ?? EIGHT_HOURS;
  const throttle = new LoginThrottle(throttleOptions);
  const csp = contentSecurityPolicy(readFileSync(join(adminDir, 'index.html'), 'utf8'));
  const router = Router();
  const setCookie = (res: Response, secure: boolean, value: string, maxAgeSeconds: number) =>
    res.append(
      'set-cookie',
      `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`,
    );

  router.use('/admin', (_req, res, next) => {
    res.set({
      'content-security-policy': csp,
      'x-frame-options': 'SAMEORIGIN',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    next();
  });
  router.get('/admin', (req, res, next) =>
    req.path === '/admin' && !req.originalUrl.startsWith('/admin/') ? res.redirect(301, '/admin/') : next(),
  );

  // Who is logged in (200 with operator null when nobody is, so the login page loads without an error).
  router.get('/admin/session', async (req, res) => {
    const token = cookie(req, SESSION_COOKIE);
    const found = token ? await sessionFor(db, token) : undefined;
    res.json({
      operator: found ? { username: found.operator.username } : null,
      tenant: found
        ? {
            id: found.tenant.id,
            name: found.tenant.name,
            // what the tenant uses: the panel shows only those sections (issue 15)
            digipostAgreement: found.tenant.digipostAgreement === 'ACTIVE',
            inbound: await usesInbound(db, found.tenant.id),
            /** QUEUE: a correction waits for the next run; SEND_NOW: it is sent at once. */
            correctionMode: found.tenant.correctionMode,
          }
        : null,
      temporal: { uiUrl: temporalUiUrl ?? null, namespace: temporalNamespace },
    });
  });

  router.post('/admin/session', async (req, res) => {
    requireCsrfHeader(req);
    const parsed = loginSchema.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    const { username, password } = parsed.data;
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const wait = throttle.blockedFor(username, address);
    if (wait > 0) {
      res.set('retry-after', String(Math.ceil(wait / 1000)));
      throw new ApiError(429, 'TOO_MANY_LOGINS', throttledMessage(wait));
    }
    const operator = await checkLogin(db, username, password);
    if (!operator) {
      throttle.failed(username, address);
      throw new ApiError(401, 'LOGIN_FAILED', 'unknown username or wrong password');
    }
    throttle.succeeded(username);
    const token = await startSession(db, operator.id, ttl);
    setCookie(res, req.secure, token, Math.floor(ttl / 1000));
    res.status(201).json({ operator: { username: operator.username } });
  });

  router.delete('/admin/session', async (req, res) => {
    requireCsrfHeader(req);
    const token = cookie(req, SESSION_COOKIE);
    if (token) await endSession(db, token);
    setCookie(res, req.secure, '', 0);
    res.status(204).end();
  });

  // The operators' words for codes (domain/reason-texts.ts) and for statuses (domain/*-status.ts), as browser
  // modules built from domain/ (api/admin-modules.ts); no-store like every panel file (above).
  router.get('/admin/js/texts.js', (_req, res) => res.type('text/javascript').send(TEXTS_MODULE));
  router.get('/admin/js/vocabulary.js', (_req, res) => res.type('text/javascript').send(VOCABULARY_MODULE));
  for (const [file, path] of Object.entries(VENDOR))
    router.get(`/admin/vendor/${file}`, (_req, res) => res.type('text/javascript').sendFile(path));
  router.use('/admin', express.static(adminDir, { index: 'index.html', redirect: false }));
  return router;
}
