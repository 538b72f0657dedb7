// The README's first outbound example (scripts/example-letter.sh) run as a reader would, against the real
// system (Temporal dev server, worker, PostgreSQL, Digipost simulator): it starts a letter, waits until it
// is queued, sends the run, waits for Sendt web and finds the letter again by search, carrying its id along.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { useTestSystem } from './support/system';

const script = fileURLToPath(new URL('../scripts/example-letter.sh', import.meta.url));

const sys = useTestSystem();

describe('the README example (scripts/example-letter.sh)', () => {
  it('is what the README tells a reader to run', () => {
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    expect(readme).toContain('bash scripts/example-letter.sh');
  });

  it('sends a letter end to end and finds it by search', async () => {
    const key = sys.auth.authorization.replace(/^Bearer /, '');
    const { stdout } = await promisify(execFile)('bash', [script], {
      env: { ...process.env, POSTGANG_URL: sys.base, POSTGANG_KEY: key, CASE_ID: 'SAK-EKSEMPEL' },
      timeout: 150_000,
    });
    const id = /^letter (\S+) \(case SAK-EKSEMPEL\) started$/m.exec(stdout)?.[1];
    expect(id, stdout).toMatch(/^[0-9a-f-]{36}$/);
    expect(stdout).toContain(`letter ${id} is QUEUED`);
    expect(stdout).toMatch(/^run [0-9a-f-]{36} sent$/m);
    expect(stdout).toContain(`letter ${id} is SENT_DIGITAL`);
    const search = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      items: { id: string; caseId: string; status: string }[];
      nextCursor: string | null;
    };
    expect(search).toEqual({
      items: [expect.objectContaining({ id, caseId: 'SAK-EKSEMPEL', status: 'SENT_DIGITAL' })],
      nextCursor: null,
    });
    const letter = await sys.json<{ status: string }>(`/v1/letters/${id}`);
    expect(letter.status).toBe('SENT_DIGITAL');
  }, 180_000);
});
