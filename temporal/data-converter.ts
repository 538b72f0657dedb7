// The one data converter every Temporal Client and Worker in postgang uses: payloads (and, through
// failure-converter.cjs, error messages) are encrypted by temporal/codec.ts. Keys come from configuration (PAYLOAD_CODEC_KEYS, required in production); elsewhere a
// local key is generated once into PAYLOAD_CODEC_KEY_FILE (mode 600), shared by the processes of one checkout.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import type { Env } from '../config/env';
import { EncryptionCodec, generateKeySpec, parseKeyring, type Keyring } from './codec';

type CodecEnv = Pick<
  Env,
  'NODE_ENV' | 'PAYLOAD_CODEC_KEYS' | 'PAYLOAD_CODEC_ACTIVE_KEY' | 'PAYLOAD_CODEC_KEY_FILE'
>;

function localKeySpec(file: string): string {
  mkdirSync(dirname(file), { recursive: true });
  try {
    // 'wx': only the first process creates it; the others read what it wrote.
    writeFileSync(file, generateKeySpec('local-1'), { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return readFileSync(file, 'utf8').trim();
}

export function keyringFor(env: CodecEnv): Keyring {
  if (env.PAYLOAD_CODEC_KEYS) return parseKeyring(env.PAYLOAD_CODEC_KEYS, env.PAYLOAD_CODEC_ACTIVE_KEY);
  if (env.NODE_ENV === 'production') throw new Error('PAYLOAD_CODEC_KEYS is required in production');
  return parseKeyring(localKeySpec(env.PAYLOAD_CODEC_KEY_FILE));
}

export function codecFor(envOrKeyring: CodecEnv | Keyring): EncryptionCodec {
  return new EncryptionCodec('keys' in envOrKeyring ? envOrKeyring : keyringFor(envOrKeyring));
}

const failureConverterPath = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

/** `dataConverter` for `new Client(...)` and `Worker.create(...)`: payloads and failure messages encrypted. */
export function dataConverterFor(envOrKeyring: CodecEnv | Keyring): DataConverter {
  return { payloadCodecs: [codecFor(envOrKeyring)], failureConverterPath };
}
