// `npm run sim:digipost` on its own: it makes the broker key file, prints its URL, serves a client configured
// from the same settings, and stops on SIGTERM.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DigipostClient } from '../../integrations/digipost/client';

describe('Digipost simulator main', () => {
  it('runs alone with a broker key file a client can use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-main-'));
    const keyFile = join(dir, 'broker.pem');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./main.ts', import.meta.url)), '--port', '0'],
      { env: { ...process.env, DIGIPOST_PRIVATE_KEY_FILE: keyFile, DIGIPOST_BROKER_ID: '4711' } },
    );
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /Digipost simulator (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', () => reject(new Error(`simulator exited: ${out}`)));
      });
      const client = new DigipostClient({
        baseUrl: url,
        brokerId: '4711',
        privateKeyPem: readFileSync(keyFile, 'utf8'),
      });
      expect(await client.identify('01019010046')).toEqual({ result: 'DIGIPOST' });
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
