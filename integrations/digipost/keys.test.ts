// loadDigipostKey: the broker key from PEM (PKCS#1, PKCS#8, encrypted, with a certificate alongside) or from a
// PKCS#12 file made by openssl, and a key loaded from .p12 that Digipost (the simulator) accepts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DigipostClient, loadDigipostKey } from './client';
import { startDigipostSimulator, type DigipostSimulator } from '../../simulators/digipost/server';

const dir = mkdtempSync(join(tmpdir(), 'digipost-key-'));
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
let sim: DigipostSimulator;

beforeAll(async () => {
  writeFileSync(join(dir, 'key.pem'), pkcs8);
  execFileSync('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    join(dir, 'key.pem'),
    '-subj',
    '/CN=Testkommune',
    '-days',
    '2',
    '-out',
    join(dir, 'cert.pem'),
  ]);
  execFileSync('openssl', [
    'pkcs12',
    '-export',
    '-inkey',
    join(dir, 'key.pem'),
    '-in',
    join(dir, 'cert.pem'),
    '-passout',
    'pass:hemmelig',
    '-out',
    join(dir, 'broker.p12'),
  ]);
  sim = await startDigipostSimulator();
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const samePublicKey = (pem: string) =>
  createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'pem' }).toString() === publicPem;

describe('loadDigipostKey', () => {
  it('reads a PKCS#12 file made by openssl with its passphrase, as PKCS#8 PEM', () => {
    const pem = loadDigipostKey(join(dir, 'broker.p12'), 'hemmelig');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(samePublicKey(pem)).toBe(true);
  });

  it('fails on a wrong passphrase', () => {
    expect(() => loadDigipostKey(join(dir, 'broker.p12'), 'feil')).toThrow();
  });

  it('reads PKCS#1 PEM, encrypted PKCS#8 PEM and a PEM with the certificate first', () => {
    writeFileSync(join(dir, 'rsa.pem'), privateKey.export({ type: 'pkcs1', format: 'pem' }));
    expect(samePublicKey(loadDigipostKey(join(dir, 'rsa.pem')))).toBe(true);
    writeFileSync(
      join(dir, 'enc.pem'),
      privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }),
    );
    expect(samePublicKey(loadDigipostKey(join(dir, 'enc.pem'), 'pw'))).toBe(true);
    writeFileSync(join(dir, 'both.pem'), readFileSync(join(dir, 'cert.pem'), 'utf8') + pkcs8);
    expect(samePublicKey(loadDigipostKey(join(dir, 'both.pem')))).toBe(true);
  });

  it('signs requests Digipost accepts when the broker’s certificate is registered', async () => {
    sim.addBroker('1234', readFileSync(join(dir, 'cert.pem'), 'utf8'));
    sim.setPerson('01019010046', { kind: 'DIGIPOST' });
    const client = new DigipostClient({
      baseUrl: sim.url,
      brokerId: '1234',
      privateKeyPem: loadDigipostKey(join(dir, 'broker.p12'), 'hemmelig'),
    });
    expect(await client.identify('01019010046')).toEqual({ result: 'DIGIPOST' });
  });
});
