import { describe, expect, it } from 'vitest';
import { createWebhookSchema } from './webhooks-schemas';

const problems = (schema: ReturnType<typeof createWebhookSchema>, body: unknown) => {
  const parsed = schema.safeParse(body);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('webhook registration schema', () => {
  const production = createWebhookSchema({ allowHttpLocalhost: false });
  const development = createWebhookSchema({ allowHttpLocalhost: true });

  it('accepts https everywhere, and http only for localhost where allowed', () => {
    expect(problems(production, { url: 'https://case.example/hook' })).toEqual([]);
    expect(problems(production, { url: 'http://localhost:8080/hook' })).toEqual([
      'url: expected an https URL (plain http is accepted only for localhost outside production)',
    ]);
    expect(problems(development, { url: 'http://127.0.0.1:8080/hook' })).toEqual([]);
    expect(problems(development, { url: 'http://case.example/hook' })).toHaveLength(1);
  });

  it('names malformed URLs, credentials in URLs and unknown fields', () => {
    expect(problems(production, { url: 'nope' })).toEqual(['url: Invalid URL']);
    expect(problems(production, { url: 'https://u:p@case.example/' })).toEqual([
      'url: credentials in the URL are not accepted',
    ]);
    expect(problems(production, { url: 'https://case.example/', secret: 'mine' })).toHaveLength(1);
  });
});
