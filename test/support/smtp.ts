// A real SMTP server on localhost (smtp-server) that parses every mail it receives (mailparser).
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface TestSmtpServer {
  host: string;
  port: number;
  mails: ParsedMail[];
  /** Makes the next N messages fail with this SMTP reply code (e.g. 451 transient, 554 permanent). */
  failNext(count: number, responseCode: number): void;
  close(): Promise<void>;
}

export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const mails: ParsedMail[] = [];
  const failures = { count: 0, responseCode: 451 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          if (failures.count > 0) {
            failures.count -= 1;
            const error = Object.assign(new Error('injected failure'), {
              responseCode: failures.responseCode,
            });
            return callback(error);
          }
          mails.push(mail);
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('SMTP server has no TCP address');
  return {
    host: '127.0.0.1',
    port: address.port,
    mails,
    failNext(count, responseCode) {
      failures.count = count;
      failures.responseCode = responseCode;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
