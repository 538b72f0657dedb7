import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { loadEnv } from '../config/env';
import { temporalConnectionOptions, TemporalConnectionConfigError } from './connection';

const dir = mkdtempSync(join(tmpdir(), 'postgang-tls-'));
const keys = forge.pki.rsa.generateKeyPair(1024);
const cert = forge.pki.createCertificate();
cert.publicKey = keys.publicKey;
cert.serialNumber = '01';
cert.validity.notBefore = new Date('2026-01-01T00:00:00Z');
cert.validity.notAfter = new Date('2036-01-01T00:00:00Z');
cert.setSubject([{ name: 'commonName', value: 'temporal.test' }]);
cert.setIssuer([{ name: 'commonName', value: 'temporal.test' }]);
cert.sign(keys.privateKey);
const certPem = forge.pki.certificateToPem(cert);
const keyPem = forge.pki.privateKeyToPem(keys.privateKey);
const caFile = join(dir, 'ca.pem');
const certFile = join(dir, 'client.pem');
const keyFile = join(dir, 'client.key');
writeFileSync(caFile, certPem);
writeFileSync(certFile, certPem);
writeFileSync(keyFile, keyPem);

const options = (vars: Record<string, string>) => temporalConnectionOptions(loadEnv(vars));

describe('temporalConnectionOptions', () => {
  it('is a plain address without TLS when nothing is set', () => {
    expect(options({ TEMPORAL_ADDRESS: 'temporal:7233' })).toEqual({ address: 'temporal:7233' });
  });

  it('reads the CA, the client pair and the server name into the TLS config', () => {
    const o = options({
      TEMPORAL_ADDRESS: '10.0.0.5:7233',
      TEMPORAL_TLS_CA_FILE: caFile,
      TEMPORAL_TLS_CERT_FILE: certFile,
      TEMPORAL_TLS_KEY_FILE: keyFile,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
    });
    expect(o.address).toBe('10.0.0.5:7233');
    expect(o.apiKey).toBeUndefined();
    expect(o.tls).not.toBe(true);
    const tls = o.tls as Exclude<typeof o.tls, true | undefined>;
    expect(tls.serverNameOverride).toBe('temporal.test');
    expect(tls.serverRootCACertificate?.toString()).toBe(certPem);
    expect(tls.clientCertPair?.crt.toString()).toBe(certPem);
    expect(tls.clientCertPair?.key.toString()).toBe(keyPem);
  });

  it('turns TLS on for a Temporal Cloud API key', () => {
    expect(
      options({
        TEMPORAL_ADDRESS: 'europe-west3.gcp.api.temporal.io:7233',
        TEMPORAL_NAMESPACE: 'postgang.a1b2c',
        TEMPORAL_API_KEY: 'key-123',
      }),
    ).toEqual({ address: 'europe-west3.gcp.api.temporal.io:7233', tls: true, apiKey: 'key-123' });
  });

  it('turns TLS on with the system CA store for TEMPORAL_TLS=true alone', () => {
    expect(options({ TEMPORAL_ADDRESS: 'x:7233', TEMPORAL_TLS: 'true' }).tls).toBe(true);
  });

  it('names the variable and the path of a file it cannot read', () => {
    const missing = join(dir, 'nope.pem');
    expect(() => options({ TEMPORAL_TLS_CA_FILE: missing })).toThrow(TemporalConnectionConfigError);
    expect(() => options({ TEMPORAL_TLS_CA_FILE: missing })).toThrow(
      `TEMPORAL_TLS_CA_FILE: cannot read ${missing} (ENOENT)`,
    );
  });

  it('names a file that is not the PEM it should be, without printing its contents', () => {
    expect(() => options({ TEMPORAL_TLS_CERT_FILE: keyFile, TEMPORAL_TLS_KEY_FILE: keyFile })).toThrow(
      /^TEMPORAL_TLS_CERT_FILE: .*client\.key is not a PEM file with -----BEGIN CERTIFICATE-----$/,
    );
    expect(() => options({ TEMPORAL_TLS_CERT_FILE: certFile, TEMPORAL_TLS_KEY_FILE: certFile })).toThrow(
      /^TEMPORAL_TLS_KEY_FILE: .*client\.pem is not a PEM file/,
    );
  });

  it('refuses a certificate without its key, and TLS settings with TEMPORAL_TLS=false, at config load', () => {
    expect(() => loadEnv({ TEMPORAL_TLS_CERT_FILE: certFile })).toThrow(
      /TEMPORAL_TLS_KEY_FILE: TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together/,
    );
    expect(() => loadEnv({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' })).toThrow(
      /TEMPORAL_TLS: is false, but TLS settings or TEMPORAL_API_KEY are set/,
    );
  });
});
