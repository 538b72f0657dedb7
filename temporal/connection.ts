// The Temporal connection settings in one place: address, TLS (CA, mTLS client pair, server name) and the
// Temporal Cloud API key, from config/env.ts. The API, the worker and the CLIs all connect through these.
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { Env } from '../config/env';

export type TemporalConnectionEnv = Pick<
  Env,
  | 'TEMPORAL_ADDRESS'
  | 'TEMPORAL_TLS'
  | 'TEMPORAL_TLS_CA_FILE'
  | 'TEMPORAL_TLS_CERT_FILE'
  | 'TEMPORAL_TLS_KEY_FILE'
  | 'TEMPORAL_TLS_SERVER_NAME'
  | 'TEMPORAL_API_KEY'
>;

/** What both `Connection.connect` (client) and `NativeConnection.connect` (worker) accept. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | true;
  apiKey?: string;
}

/** A setting whose file cannot be used; the message names the variable and the file, never its contents. */
export class TemporalConnectionConfigError extends Error {
  override name = 'TemporalConnectionConfigError';
}

function readPem(variable: string, path: string, expect: RegExp): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new TemporalConnectionConfigError(
      `${variable}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  if (!expect.test(bytes.toString('latin1')))
    throw new TemporalConnectionConfigError(`${variable}: ${path} is not a PEM file with ${expect.source}`);
  return bytes;
}

const CERT = /-----BEGIN CERTIFICATE-----/;
const KEY = /-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;

/** Builds the connection options; reads the PEM files now, so a bad path stops start-up with its name. */
export function temporalConnectionOptions(env: TemporalConnectionEnv): TemporalConnectionOptions {
  const tlsConfig: TLSConfig = {};
  if (env.TEMPORAL_TLS_CA_FILE)
    tlsConfig.serverRootCACertificate = readPem('TEMPORAL_TLS_CA_FILE', env.TEMPORAL_TLS_CA_FILE, CERT);
  if (env.TEMPORAL_TLS_CERT_FILE || env.TEMPORAL_TLS_KEY_FILE) {
    if (!env.TEMPORAL_TLS_CERT_FILE || !env.TEMPORAL_TLS_KEY_FILE)
      throw new TemporalConnectionConfigError(
        'TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together (mTLS needs both)',
      );
    tlsConfig.clientCertPair = {
      crt: readPem('TEMPORAL_TLS_CERT_FILE', env.TEMPORAL_TLS_CERT_FILE, CERT),
      key: readPem('TEMPORAL_TLS_KEY_FILE', env.TEMPORAL_TLS_KEY_FILE, KEY),
    };
  }
  if (env.TEMPORAL_TLS_SERVER_NAME) tlsConfig.serverNameOverride = env.TEMPORAL_TLS_SERVER_NAME;

  const detailed = Object.keys(tlsConfig).length > 0;
  const wantsTls = env.TEMPORAL_TLS ?? (detailed || env.TEMPORAL_API_KEY !== undefined);
  if (!wantsTls && (detailed || env.TEMPORAL_API_KEY))
    throw new TemporalConnectionConfigError(
      'TEMPORAL_TLS is false, but TLS settings or TEMPORAL_API_KEY are set (they need TLS)',
    );
  return {
    address: env.TEMPORAL_ADDRESS,
    ...(wantsTls && { tls: detailed ? tlsConfig : true }),
    ...(env.TEMPORAL_API_KEY && { apiKey: env.TEMPORAL_API_KEY }),
  };
}
