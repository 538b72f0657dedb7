// File upload and download through a dokumentobjekt's `…/arkivstruktur/fil/` rel (archive-noark5.md §1.3
// "File upload", §1.4 points 7 and 14–16): raw bytes, verified against the pre-filled mimeType, size and
// SHA-256, parsed as their declared type, never overwritten.
import { createHash } from 'node:crypto';
import type { Router } from 'express';
import type { SimContext } from './context';
import { unreadableAs } from './file-check';
import { HttpError, requireJsonAccept } from './protocol';

const FILE_PATH = '/arkivstruktur/dokumentobjekt/:id/referanseFil';

export function fileRoutes(r: Router, ctx: SimContext) {
  const { route, requireAuth, entity, rep, observed } = ctx;
  // Where the standard says 422, the independent server answered 400.
  const unprocessable = observed ? 400 : 422;
  r.post(
    FILE_PATH,
    route('upload', async (req) => {
      requireAuth(req);
      requireJsonAccept(req);
      const e = entity(req, 'dokumentobjekt');
      if (e.file)
        throw new HttpError(unprocessable, 'the dokumentobjekt already has a file; it cannot be overwritten');
      const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (content.length === 0) throw new HttpError(400, 'an empty file cannot be stored');
      const contentType = (req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!contentType) throw new HttpError(400, 'Content-Type is required');
      const d = e.data as { mimeType?: string; filstoerrelse?: number; sjekksum?: string };
      if (d.mimeType && d.mimeType.toLowerCase() !== contentType)
        throw new HttpError(400, `Content-Type ${contentType} does not match mimeType ${d.mimeType}`);
      if (d.filstoerrelse !== undefined && d.filstoerrelse !== content.length)
        throw new HttpError(400, `received ${content.length} bytes, filstoerrelse says ${d.filstoerrelse}`);
      const sha256 = createHash('sha256').update(content).digest('hex');
      if (d.sjekksum !== undefined && d.sjekksum.toLowerCase() !== sha256)
        throw new HttpError(400, 'sjekksum does not match the received bytes');
      // Every upload goes through a content parser (§1.4 point 14).
      const unreadable = await unreadableAs(contentType, content);
      if (unreadable) throw new HttpError(unprocessable, unreadable);
      e.file = { content, contentType, sha256 };
      Object.assign(e.data, {
        mimeType: contentType,
        filstoerrelse: content.length,
        sjekksum: sha256,
        sjekksumAlgoritme: 'SHA-256',
        // An unknown format code, as real servers return (§1.4 point 9).
        format: { kode: contentType === 'application/pdf' ? 'fmt/95' : 'UKJENT' },
        // Optional, and absent on the independent server even after an upload (§1.4 point 16).
        ...(!observed && { referanseDokumentfil: `${rep.href(e)}referanseFil/` }),
      });
      e.version += 1;
      return rep.object(e, 201);
    }),
  );
  r.get(
    FILE_PATH,
    route('download', (req) => {
      requireAuth(req);
      const e = entity(req, 'dokumentobjekt');
      // The standard's 404; the independent server's 400 with these words (§1.4 point 15).
      if (!e.file)
        throw observed
          ? new HttpError(400, 'Could not read file: null')
          : new HttpError(404, 'no file has been uploaded');
      return { status: 200, raw: { content: e.file.content, contentType: e.file.contentType } };
    }),
  );
}
