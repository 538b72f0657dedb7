// A webhook receiver written from the README's description of the signature, not from our sender: answers
// each attempt as told (accept, fail with 500, or hang), records what it accepted and whether it verified.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { expect } from 'vitest';

export interface Received {
  eventId: string;
  type: string;
  /** letter.* events: the letter; inbound.* events: the inbound item. */
  letterId: string;
  status: string;
  data: Record<string, unknown>;
  signatureValid: boolean;
}

const EVENT_TYPES = ['letter.status_changed', 'inbound.status_changed', 'inbound.flagged'];

/** A receiver written from the README's description of the signature, not from our sender. */
export class Receiver {
  accepted: Received[] = [];
  attempts = 0;
  secret = '';
  private hanging: ServerResponse[] = [];
  private server: Server;
  url = '';

  constructor(private readonly behaviour: (attempt: number) => 'accept' | 'fail' | 'hang') {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await new Promise((r) => this.server.once('listening', r));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`;
    return this;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const what = this.behaviour(++this.attempts);
    if (what === 'hang') return void this.hanging.push(res);
    if (what === 'fail') return void res.writeHead(500).end('not today');
    const timestamp = String(req.headers['x-postgang-timestamp']);
    const expected = `v1=${createHmac('sha256', this.secret).update(`${timestamp}.${body}`).digest('hex')}`;
    const given = String(req.headers['x-postgang-signature']);
    const signatureValid =
      given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    const event = JSON.parse(body) as {
      id: string;
      type: string;
      data: { letterId?: string; inboundItemId?: string; status: string };
    };
    expect(req.headers['x-postgang-event-id']).toBe(event.id);
    expect(EVENT_TYPES).toContain(event.type);
    this.accepted.push({
      eventId: event.id,
      type: event.type,
      letterId: event.data.letterId ?? event.data.inboundItemId ?? '',
      status: event.data.status,
      data: event.data,
      signatureValid,
    });
    res.writeHead(204).end();
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}
