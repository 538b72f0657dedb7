// Content-Disposition with a file name of any characters (RFC 6266, with RFC 8187/5987 `filename*`): a plain
// ASCII fallback in `filename="…"` (quotes, backslashes, control and non-ASCII characters replaced) and the
// exact name, UTF-8 percent-encoded, in `filename*`. A case id with CR/LF, `"` or non-Latin-1 characters can
// then neither break the header nor inject another.
export function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename.replace(/[\ud800-\udfff]/g, '_')).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
