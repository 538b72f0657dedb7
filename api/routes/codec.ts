// The codec endpoint of the Temporal Web UI's remote codec protocol: `POST /codec/decode` and `/codec/encode`
// take `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }` (Payloads as protobuf JSON) and answer the
// same shape, so operators read decrypted history in the UI. The UI sends no API key, so this router lives
// outside /v1. Protection (README, "Privacy in Temporal history"): browsers may call it only from the
// configured UI origins (CORS, preflight included; other origins get 403), and when a token is configured
// every request must carry `Authorization: Bearer <token>` (the CLI's `--codec-auth`, or a proxy in front of
// the UI). Only the API's own namespace is served.
import { Router, type RequestHandler } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { ApiError, fromZod } from '../errors';

export interface CodecEndpointOptions {
  codec: PayloadCodec;
  namespace: string;
  /** Browser origins allowed to call the endpoint (the Temporal Web UI's). */
  allowedOrigins: string[];
  /** When set, requests must present it as a bearer token. */
  token?: string;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'expected base64');
export const codecRequestSchema = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), base64).nullish(), data: base64.nullish() })),
});
type JsonPayload = z.infer<typeof codecRequestSchema>['payloads'][number];

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]),
  ),
  data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
});

const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export function codecRouter({ codec, namespace, allowedOrigins, token }: CodecEndpointOptions): Router {
  const router = Router();

  const cors: RequestHandler = (req, res, next) => {
    res.vary('Origin');
    const origin = req.get('origin');
    if (origin === undefined) return next(); // not a browser (the CLI, a test, a proxy)
    if (!allowedOrigins.includes(origin))
      throw new ApiError(403, 'ORIGIN_NOT_ALLOWED', `origin ${origin} may not use the codec endpoint`);
    res.set({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' });
    if (req.method !== 'OPTIONS') return next();
    res
      .set({
        'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Allow-Headers': 'Content-Type, X-Namespace, Authorization',
        'Access-Control-Max-Age': '600',
      })
      .sendStatus(204);
  };

  const authorise: RequestHandler = (req, _res, next) => {
    if (token) {
      const given = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
      if (!given || !sameSecret(given, token))
        throw new ApiError(401, 'UNAUTHENTICATED', 'the codec endpoint needs its bearer token');
    }
    const requested = req.get('x-namespace');
    if (requested !== undefined && requested !== namespace)
      throw new ApiError(400, 'UNKNOWN_NAMESPACE', `this codec serves namespace ${namespace} only`);
    next();
  };

  router.use(cors);
  for (const direction of ['encode', 'decode'] as const) {
    router.post(`/${direction}`, authorise, async (req, res) => {
      const parsed = codecRequestSchema.safeParse(req.body);
      if (!parsed.success) throw fromZod(parsed.error);
      let payloads: Payload[];
      try {
        payloads = await codec[direction](parsed.data.payloads.map(fromJson));
      } catch (e) {
        throw new ApiError(400, 'CODEC_FAILED', `${direction} failed: ${(e as Error).message}`);
      }
      res.json({ payloads: payloads.map(toJson) });
    });
  }
  return router;
}
