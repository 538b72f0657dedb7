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

/**
 * Fault: the same ZIP with the first entry's recorded CRC-32 changed (in the central directory and in its
 * data descriptor), as a ZIP damaged at the source would read. The bytes still inflate.
 */
export function withWrongCrc(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  const eocd = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || out.readUInt16LE(eocd + 10) === 0) throw new Error('a CRC fault needs a ZIP with an entry');
  const central = out.readUInt32LE(eocd + 16);
  const crc = out.readUInt32LE(central + 16);
  const wrong = (crc ^ 0x5a5a5a5a) >>> 0;
  out.writeUInt32LE(wrong, central + 16);
  // The first entry's data descriptor: signature, CRC, sizes, right before the next header.
  const localHeaderEnd = 30 + out.readUInt16LE(26) + out.readUInt16LE(28);
  const compressed = out.readUInt32LE(central + 20);
  const descriptor = localHeaderEnd + compressed;
  if (out.readUInt32LE(descriptor) === 0x08074b50) out.writeUInt32LE(wrong, descriptor + 4);
  return out;
}
