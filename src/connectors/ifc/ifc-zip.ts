/**
 * `.ifczip`: an IFC file in a ZIP archive, as BIM tools export it. Recognised by its content (a
 * ZIP's first bytes), never by its name: storage keeps whatever name the user gave.
 *
 * Our own reader, for the little we need: the central directory (with ZIP64 sizes and offsets, and
 * entries written with data descriptors, whose sizes only the central directory holds), stored or
 * deflated entries, and the one `.ifc` entry inflated into one Buffer of its declared size, its
 * CRC-32 checked. Anything else is refused with a NotAnIfcFile saying why.
 */
import { constants as bufferConstants } from 'node:buffer';
import zlib from 'node:zlib';
import { NotAnIfcFile } from './conversion-errors.js';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EXTRA = 0x0001;
const STORED = 0;
const DEFLATED = 8;
const ENCRYPTED_FLAG = 0x0001;
const UTF8_FLAG = 0x0800;

/** A ZIP begins with a local file header (or, empty, with the end of its directory). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

interface Entry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** The one `.ifc` file inside the archive: its name and its content. */
export async function ifcInZip(zip: Buffer): Promise<{ name: string; content: Buffer }> {
  const entries = centralDirectory(zip).filter((e) => !e.name.endsWith('/') && !isMacMetadata(e.name));
  const ifc = entries.filter((e) => /\.ifc$/i.test(e.name));
  if (ifc.length > 1) {
    throw new NotAnIfcFile(`the ZIP archive holds ${ifc.length} IFC files (${listed(ifc)}); an .ifczip must hold exactly one`);
  }
  // An archive of one file with another name (`zip - < model.ifc` names it "-") is read when that
  // file is IFC by its content.
  const only = ifc.length === 0 && entries.length === 1 && !/\.ifcxml$/i.test(entries[0]!.name) ? entries[0] : undefined;
  const entry = ifc[0] ?? only;
  if (!entry) {
    const xml = entries.filter((e) => /\.ifcxml$/i.test(e.name));
    if (xml.length > 0) throw new NotAnIfcFile(`the ZIP archive holds ifcXML only (${listed(xml)}), which is not converted: export the model as IFC (STEP)`);
    throw new NotAnIfcFile(entries.length ? `the ZIP archive holds no .ifc file (it holds ${listed(entries)})` : 'the ZIP archive is empty');
  }
  if (entry.flags & ENCRYPTED_FLAG || entry.method === 99)
    throw new NotAnIfcFile(`'${entry.name}' in the ZIP archive is encrypted: upload it without a password`);
  if (entry.method !== STORED && entry.method !== DEFLATED) {
    throw new NotAnIfcFile(`'${entry.name}' in the ZIP archive is compressed with method ${entry.method}; only stored and deflated entries are read`);
  }
  if (entry.size > bufferConstants.MAX_LENGTH) throw new NotAnIfcFile(`'${entry.name}' in the ZIP archive is too large to read (${entry.size} bytes)`);
  // Deflate cannot expand more than about 1032 to 1: a larger claim is a damaged or hostile archive.
  if (entry.method === DEFLATED && entry.size > entry.compressedSize * 1100 + 1024)
    throw damaged(entry, `it claims ${entry.size} bytes from ${entry.compressedSize}`);
  const data = entryData(zip, entry);
  const content = entry.method === STORED ? data : await inflate(data, entry);
  if (content.length !== entry.size) throw damaged(entry, `it holds ${content.length} bytes, ${entry.size} expected`);
  if (zlib.crc32(content) !== entry.crc) throw damaged(entry, 'its CRC-32 does not match');
  if (entry === only && !looksLikeStep(content)) {
    throw new NotAnIfcFile(`the ZIP archive holds no .ifc file (it holds ${listed(entries)})`);
  }
  return { name: entry.name, content };
}

/** Whether bytes begin as a STEP file does (after white space or a byte-order mark). */
function looksLikeStep(content: Buffer): boolean {
  return content
    .subarray(0, 64)
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart()
    .startsWith('ISO-10303-21');
}

/** Every entry the central directory lists. */
function centralDirectory(zip: Buffer): Entry[] {
  const end = findEndOfDirectory(zip);
  if (end < 0) {
    throw new NotAnIfcFile(
      'the file is not an IFC (STEP, ISO-10303-21) file; it begins like a ZIP archive but has no central directory: a truncated or damaged archive, or not one at all',
    );
  }
  let count = zip.readUInt16LE(end + 10);
  let size = zip.readUInt32LE(end + 12);
  let offset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    // ZIP64: the real figures are in the ZIP64 end of central directory, which a locator points at.
    const locator = end - 20;
    if (locator < 0 || zip.readUInt32LE(locator) !== ZIP64_LOCATOR) throw new NotAnIfcFile('the ZIP64 archive has no ZIP64 end of central directory locator');
    const record = number64(zip, locator + 8);
    if (record + 56 > zip.length || zip.readUInt32LE(record) !== ZIP64_END_OF_DIRECTORY)
      throw new NotAnIfcFile('the ZIP64 end of central directory is damaged');
    count = number64(zip, record + 32);
    size = number64(zip, record + 40);
    offset = number64(zip, record + 48);
  }
  if (offset + size > zip.length) throw new NotAnIfcFile('the ZIP archive is truncated: its central directory lies beyond its end');

  const entries: Entry[] = [];
  let at = offset;
  for (let k = 0; k < count; k++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL_HEADER) throw new NotAnIfcFile("the ZIP archive's central directory is damaged");
    const flags = zip.readUInt16LE(at + 8);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const nameBytes = zip.subarray(at + 46, at + 46 + nameLength);
    const entry: Entry = {
      // Names are UTF-8 when the flag says so, else code page 437, whose ASCII part is what matters here.
      name: nameBytes.toString(flags & UTF8_FLAG ? 'utf8' : 'latin1'),
      flags,
      method: zip.readUInt16LE(at + 10),
      crc: zip.readUInt32LE(at + 16),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
    };
    zip64Fields(zip.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), entry);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The end of central directory record: the last signature within its reach of the end (a comment may follow it). */
function findEndOfDirectory(zip: Buffer): number {
  const lowest = Math.max(0, zip.length - 22 - 0xffff);
  for (let at = zip.length - 22; at >= lowest; at--) if (zip.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  return -1;
}

/** Fields marked 0xFFFFFFFF in the entry are in its ZIP64 extra field, in this order. */
function zip64Fields(extra: Buffer, entry: Entry): void {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === ZIP64_EXTRA) {
      let field = at + 4;
      const next = () => {
        if (field + 8 > at + 4 + length) throw new NotAnIfcFile(`the ZIP64 fields of '${entry.name}' are damaged`);
        const value = number64(extra, field);
        field += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localOffset === 0xffffffff) entry.localOffset = next();
      return;
    }
    at += 4 + length;
  }
}

/** The entry's bytes as stored: after its local header, whose name and extra lengths may differ from the directory's. */
function entryData(zip: Buffer, entry: Entry): Buffer {
  const at = entry.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL_HEADER) throw damaged(entry, 'its local header is missing');
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  if (start + entry.compressedSize > zip.length) throw new NotAnIfcFile(`the ZIP archive is truncated: '${entry.name}' lies beyond its end`);
  return zip.subarray(start, start + entry.compressedSize);
}

/**
 * Inflates into one Buffer of the declared size, chunk by chunk: memory is the archive plus the
 * content, never a list of chunks joined at the end.
 */
async function inflate(data: Buffer, entry: Entry): Promise<Buffer> {
  const content = Buffer.allocUnsafe(entry.size);
  let filled = 0;
  const inflater = zlib.createInflateRaw();
  inflater.end(data);
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      if (filled + chunk.length > content.length) throw damaged(entry, `it inflates to more than the ${entry.size} bytes it declares`);
      chunk.copy(content, filled);
      filled += chunk.length;
    }
  } catch (error) {
    if (error instanceof NotAnIfcFile) throw error;
    throw damaged(entry, `it cannot be inflated (${(error as Error).message})`);
  } finally {
    inflater.destroy();
  }
  return content.subarray(0, filled);
}

function number64(buffer: Buffer, at: number): number {
  const value = buffer.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new NotAnIfcFile('the ZIP archive declares a size or offset too large to be real');
  return Number(value);
}

/** macOS's Finder adds `__MACOSX/` and `._name` copies of resource forks: not the user's files. */
function isMacMetadata(name: string): boolean {
  return name.startsWith('__MACOSX/') || /(^|\/)\._[^/]*$/.test(name);
}

function listed(entries: Entry[]): string {
  const names = entries.slice(0, 5).map((e) => `'${e.name}'`);
  return entries.length > 5 ? `${names.join(', ')} and ${entries.length - 5} more` : names.join(', ');
}

function damaged(entry: Entry, why: string): NotAnIfcFile {
  return new NotAnIfcFile(`'${entry.name}' in the ZIP archive is damaged: ${why}`);
}
