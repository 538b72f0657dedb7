// `npm start`, inbound part: the SvarInn and Noark 5 simulators, a local SMTP catcher that saves what it
// receives as .eml files, and a demo receiving system (routed for the demo tenant's organisation number) with
// one letter waiting in SvarInn. Everything on free ports; returns the settings the worker and API need.
import { createWriteStream, mkdirSync } from 'node:fs';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { Db } from '../db/connection';
import { createReceivingSystem, listReceivingSystems, updateReceivingSystem } from '../db/receiving-systems';
import { createSecretBox } from '../db/secret-box';
import { startSvarInnSimulator } from '../simulators/svarinn/server';
import { startArchiveSimulator, type ArchiveSimulatorMode } from '../simulators/archive/server';
import { renderLetterPdf } from '../documents/letter-pdf';

const DEMO_USERNAME = 'demo-mottakersystem';
const ARCHIVE_LOGIN = {
  username: 'arkivar',
  password: 'demo-arkiv',
  clientId: 'postgang',
  clientSecret: 'demo',
};

export interface InboundDemo {
  env: Record<string, string>;
  lines: string[];
  close(): Promise<void>;
}

export async function startInboundDemo(opts: {
  db: Db;
  tenantId: string;
  orgNumber: string;
  secretsKey: string;
  mailDir: string;
  /** The archive simulator's behaviour where a real server and the standard differ. */
  archiveMode?: ArchiveSimulatorMode;
}): Promise<InboundDemo> {
  const svarinn = await startSvarInnSimulator({ port: 0 });
  const archive = await startArchiveSimulator({
    port: 0,
    mode: opts.archiveMode,
    users: [{ username: ARCHIVE_LOGIN.username, password: ARCHIVE_LOGIN.password }],
    clients: [{ clientId: ARCHIVE_LOGIN.clientId, clientSecret: ARCHIVE_LOGIN.clientSecret }],
  });
  mkdirSync(opts.mailDir, { recursive: true });
  let mails = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, done) {
      const file = createWriteStream(join(opts.mailDir, `${Date.now()}-${++mails}.eml`));
      stream.pipe(file).once('finish', () => done());
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as { port: number }).port;

  // The demo receiving system: a fresh key pair and password each start, registered in both places.
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const password = randomBytes(16).toString('base64url');
  svarinn.addReceivingSystem({
    id: DEMO_USERNAME,
    password,
    publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    routes: [{ orgnr: opts.orgNumber }],
  });
  const box = createSecretBox(opts.secretsKey);
  const existing = (await listReceivingSystems(opts.db, opts.tenantId)).find(
    (s) => s.username === DEMO_USERNAME,
  );
  const settings = {
    password,
    privateKeyPem,
    forwardDestinations: [{ id: 'postmottak', email: 'postmottak@demo.invalid', name: 'Postmottak' }],
    rules: { archiveIntoNamedCase: true, forward: [] },
  };
  if (existing)
    await updateReceivingSystem(opts.db, box, opts.tenantId, existing.id, { ...settings, active: true });
  else
    await createReceivingSystem(opts.db, box, opts.tenantId, {
      name: 'Demo sakssystem',
      username: DEMO_USERNAME,
      orgNumbers: [opts.orgNumber],
      ...settings,
    });
  // A real, previewable PDF: archives parse what they are given (archive-noark5.md §1.4 point 14).
  const letter = await renderLetterPdf({
    title: 'Søknad om ferdigattest (demo)',
    addressLines: ['Demo kommune', 'Postmottak', 'Postboks 1', '0101 OSLO'],
    fields: {
      Avsender: 'Eksempel Bygg AS',
      Gjelder: 'Søknad om ferdigattest, Storgata 1 (gnr. 207, bnr. 51)',
      Tiltak: 'Tilbygg til enebolig',
      Vedlegg: 'Ingen',
    },
  });
  svarinn.inject({
    tittel: 'Søknad om ferdigattest (demo)',
    orgnr: opts.orgNumber,
    svarSendesTil: { navn: 'Eksempel Bygg AS', orgnr: '999888777' },
    files: [{ filnavn: 'soknad.pdf', content: Buffer.from(letter) }],
  });

  return {
    env: {
      SVARINN_BASE_URL: svarinn.url,
      SVARINN_POLL_INTERVAL_SECONDS: '10',
      INBOUND_SECRETS_KEY: opts.secretsKey,
      ARCHIVE_BASE_URL: archive.url,
      ARCHIVE_USERNAME: ARCHIVE_LOGIN.username,
      ARCHIVE_PASSWORD: ARCHIVE_LOGIN.password,
      ARCHIVE_CLIENT_ID: ARCHIVE_LOGIN.clientId,
      ARCHIVE_CLIENT_SECRET: ARCHIVE_LOGIN.clientSecret,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
    },
    lines: [
      `SvarInn simulator ${svarinn.url} (inject letters: POST /admin/forsendelser; polled every 10 s)`,
      `Noark 5 archive simulator ${archive.url}, ${opts.archiveMode ?? 'observed'} mode (filed: ${new URL(archive.url).origin}/admin/journalposter)`,
      `SMTP catcher 127.0.0.1:${smtpPort} (forwarded mail saved in ${opts.mailDir})`,
      'Inbound: GET /v1/inbound, POST /v1/inbound/{id}/triage',
    ],
    async close() {
      await svarinn.close();
      await archive.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}
