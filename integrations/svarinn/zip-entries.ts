// The CRC-32 and size that a ZIP's central directory records for each entry (APPNOTE.TXT 4.3.12, 4.3.16),
// so that unpacked files can be checked against them: fflate inflates without checking CRCs. SvarUt's
// Java-made ZIPs carry sizes 0 in the local headers (data descriptors), so the central directory is the
// record to trust. ZIP64 fields are read from the extra field when the 32-bit values are saturated.
import { SvarInnError } from './errors';

export interface ZipEntryRecord {
  crc32: number;
  size: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const ZIP64_EXTRA = 0x0001;

const unreadable = (what: string) =>
  new SvarInnError('corrupt', `the ZIP's central directory cannot be read: ${what}`, { retryable: false });

/** Entry name → recorded CRC-32 and uncompressed size. */
export function zipCentralDirectory(zip: Buffer): Map<string, ZipEntryRecord> {
  // The end-of-central-directory record is the last 22 bytes plus a comment of at most 65 535 bytes.
  let eocd = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--)
    if (zip.readUInt32LE(at) === EOCD) {
      eocd = at;
      break;
    }
  if (eocd < 0) throw unreadable('no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, ZipEntryRecord>();
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) throw unreadable(`entry ${i} is missing`);
    const flags = zip.readUInt16LE(at + 8);
    const crc32 = zip.readUInt32LE(at + 16);
    let size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const nameBytes = zip.subarray(at + 46, at + 46 + nameLength);
    // Bit 11: UTF-8 names. Java and fflate set it; without it the name is CP437, which for ASCII is the same.
    const name = nameBytes.toString(flags & 0x800 ? 'utf8' : 'latin1');
    if (size === 0xffffffff) {
      const extra = zip.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
      for (let x = 0; x + 4 <= extra.length;) {
        const id = extra.readUInt16LE(x);
        const length = extra.readUInt16LE(x + 2);
        if (id === ZIP64_EXTRA && length >= 8) size = Number(extra.readBigUInt64LE(x + 4));
        x += 4 + length;
      }
    }
    entries.set(name, { crc32, size });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
