import { describe, expect, it } from 'vitest';
import { contentDisposition } from './content-disposition';

describe('Content-Disposition', () => {
  it('keeps a plain name as it is', () => {
    expect(contentDisposition('inline', 'SAK-1-IKV_x-v1.pdf')).toBe(
      `inline; filename="SAK-1-IKV_x-v1.pdf"; filename*=UTF-8''SAK-1-IKV_x-v1.pdf`,
    );
  });

  it('carries CR/LF, quotes and non-Latin-1 characters only percent-encoded', () => {
    const header = contentDisposition('attachment', 'Sak "1"\r\nX-Injected: ja 北京 ÆØÅ.pdf');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect(header).toContain('filename="Sak _1___X-Injected: ja __ ___.pdf"');
    const star = /filename\*=UTF-8''(.+)$/.exec(header)![1]!;
    expect(decodeURIComponent(star)).toBe('Sak "1"\r\nX-Injected: ja 北京 ÆØÅ.pdf');
  });
});
