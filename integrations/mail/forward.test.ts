// Forwarding against a real SMTP server on localhost: attachments arrive byte for byte, Message-ID is stable.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestSmtpServer } from '../../test/support/smtp';
import { createMailForwarder, MailForwardError } from './forward';

const smtp = await startTestSmtpServer();
const forwarder = createMailForwarder({
  host: smtp.host,
  port: smtp.port,
  from: 'Postmottak <postmottak@kommune.example>',
});
afterAll(async () => {
  forwarder.close();
  await smtp.close();
});

describe('mail forwarder', () => {
  it('delivers the letter with its attachments byte for byte and the given Message-ID', async () => {
    const pdf = randomBytes(20_000);
    const xml = Buffer.from('<?xml version="1.0"?><x>æøå</x>', 'utf8');
    const itemId = randomUUID();
    const result = await forwarder.forward({
      to: 'byggesak@kommune.example',
      subject: 'Videresendt: Søknad om ferdigattest',
      text: 'Brevet kom inn via SvarInn og er videresendt fra postmottaket.',
      attachments: [
        { filename: 'søknad.pdf', contentType: 'application/pdf', content: pdf },
        { filename: 'metadata.xml', contentType: 'application/xml', content: xml },
      ],
      messageId: `inbound-${itemId}`,
    });
    expect(result).toEqual({
      messageId: `<inbound-${itemId}@kommune.example>`,
      accepted: ['byggesak@kommune.example'],
    });

    const mail = smtp.mails.find((m) => m.messageId === result.messageId);
    expect(mail).toBeDefined();
    expect(mail!.subject).toBe('Videresendt: Søknad om ferdigattest');
    expect(mail!.text?.trim()).toBe('Brevet kom inn via SvarInn og er videresendt fra postmottaket.');
    expect(mail!.from?.value[0]?.address).toBe('postmottak@kommune.example');
    expect(mail!.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['søknad.pdf', 'application/pdf'],
      ['metadata.xml', 'application/xml'],
    ]);
    expect(mail!.attachments[0]!.content.equals(pdf)).toBe(true);
    expect(mail!.attachments[1]!.content.equals(xml)).toBe(true);
  });

  it('a retried item carries the same Message-ID', async () => {
    const req = {
      to: 'a@kommune.example',
      subject: 's',
      text: 't',
      attachments: [],
      messageId: `item-${randomUUID()}`,
    };
    const first = await forwarder.forward(req);
    const second = await forwarder.forward(req);
    expect(second.messageId).toBe(first.messageId);
    expect(smtp.mails.filter((m) => m.messageId === first.messageId)).toHaveLength(2);
  });

  it('classifies SMTP 4xx as retryable and 5xx as permanent', async () => {
    const req = {
      to: 'a@kommune.example',
      subject: 's',
      text: 't',
      attachments: [],
      messageId: randomUUID(),
    };
    smtp.failNext(1, 451);
    await expect(forwarder.forward(req)).rejects.toMatchObject({ retryable: true, responseCode: 451 });
    smtp.failNext(1, 554);
    const error = await forwarder.forward(req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailForwardError);
    expect(error).toMatchObject({ retryable: false, responseCode: 554 });
  });
});
