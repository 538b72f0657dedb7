// Forwards an incoming letter by e-mail with its documents attached, through SMTP (nodemailer). The caller
// gives a stable Message-ID per item, so a retried send carries the same id and receivers can drop the copy.
import nodemailer from 'nodemailer';

export interface MailForwarderOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  secure?: boolean;
  auth?: { user: string; pass: string };
  /** The sender address, e.g. `Postmottak <postmottak@kommune.no>`. */
  from: string;
}

export interface ForwardRequest {
  to: string | string[];
  subject: string;
  text: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
  /** Stable per item (e.g. the inbound item id); bare ids are made `<id@domain of from>`. */
  messageId: string;
}

export interface ForwardResult {
  messageId: string;
  accepted: string[];
}

export class MailForwardError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = 'MailForwardError';
  }
}

export interface MailForwarder {
  forward(req: ForwardRequest): Promise<ForwardResult>;
  close(): void;
}

function messageIdHeader(id: string, from: string): string {
  const bare = id.replace(/^<|>$/g, '');
  if (bare.includes('@')) return `<${bare}>`;
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'postgang.invalid';
  return `<${bare}@${domain}>`;
}

export function createMailForwarder(opts: MailForwarderOptions): MailForwarder {
  const transport = nodemailer.createTransport({
    host: opts.host,
    port: opts.port,
    secure: opts.secure ?? false,
    ...(opts.auth && { auth: opts.auth }),
  });
  return {
    async forward(req) {
      const messageId = messageIdHeader(req.messageId, opts.from);
      try {
        const info = await transport.sendMail({
          from: opts.from,
          to: req.to,
          subject: req.subject,
          text: req.text,
          messageId,
          attachments: req.attachments.map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: a.content,
          })),
        });
        const rejected = info.rejected.map(String);
        if (rejected.length > 0)
          throw new MailForwardError(`the SMTP server rejected ${rejected.join(', ')}`, false);
        return { messageId, accepted: info.accepted.map(String) };
      } catch (e) {
        if (e instanceof MailForwardError) throw e;
        const code = (e as { responseCode?: number }).responseCode;
        // 5xx replies are permanent (RFC 5321 §4.2.1); 4xx replies and connection failures are transient.
        throw new MailForwardError(
          `forwarding failed: ${(e as Error).message}`,
          !(code && code >= 500),
          code,
        );
      }
    },
    close: () => transport.close(),
  };
}
