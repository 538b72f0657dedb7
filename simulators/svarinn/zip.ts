// The ZIP inside a SvarInn download, made the way SvarUt's Java code makes it (svarinn-api.md §4.2.1):
// streamed, so local headers carry sizes 0 and a data descriptor follows each entry; UTF-8 names; entries
// named exactly filmetadata[].filnavn, in order; rebuilt on every download (timestamps differ).
import { Zip, ZipDeflate } from 'fflate';

export function javaStyleZip(files: { filnavn: string; content: Buffer }[], mtime: Date): Buffer {
  const parts: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else parts.push(chunk);
  });
  for (const file of files) {
    const entry = new ZipDeflate(file.filnavn, { level: 6 });
    entry.mtime = mtime;
    zip.add(entry);
    entry.push(file.content, true);
  }
  zip.end();
  if (failure) throw failure;
  return Buffer.concat(parts);
}
