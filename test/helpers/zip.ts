import zlib from 'node:zlib';

/**
 * ZIP archives as tools write them, for the `.ifczip` tests: stored or deflated entries, sizes in
 * the local header or in data descriptors after the data (as streaming writers do), and ZIP64
 * records (sizes and offsets in extra fields, the ZIP64 end of central directory and its locator)
 * even for small files, so that the reader's ZIP64 path runs without gigabytes of fixtures.
 */
export interface ZipEntry {
  name: string;
  content: Buffer | string;
  method?: 'stored' | 'deflate';
  /** Sets the "encrypted" flag (the content is left as it is: a reader must refuse before reading it). */
  encrypted?: boolean;
}

export interface ZipOptions {
  zip64?: boolean;
  dataDescriptor?: boolean;
}

export function makeZip(entries: ZipEntry[], options: ZipOptions = {}): Buffer {
  const { zip64 = false, dataDescriptor = false } = options;
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const push = (buffer: Buffer) => {
    parts.push(buffer);
    offset += buffer.length;
  };
  for (const entry of entries) {
    const content = typeof entry.content === 'string' ? Buffer.from(entry.content, 'latin1') : entry.content;
    const deflate = entry.method === 'deflate';
    const data = deflate ? zlib.deflateRawSync(content) : content;
    const crc = zlib.crc32(content);
    const name = Buffer.from(entry.name, 'utf8');
    const flags = 0x0800 | (dataDescriptor ? 0x0008 : 0) | (entry.encrypted ? 0x0001 : 0);
    const version = zip64 ? 45 : 20;
    const localOffset = offset;

    const localExtra = zip64 ? extra64(dataDescriptor ? [0, 0] : [content.length, data.length]) : Buffer.alloc(0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(version, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date: 1980-01-01
    local.writeUInt32LE(dataDescriptor ? 0 : crc, 14);
    local.writeUInt32LE(dataDescriptor ? 0 : zip64 ? 0xffffffff : data.length, 18);
    local.writeUInt32LE(dataDescriptor ? 0 : zip64 ? 0xffffffff : content.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    push(Buffer.concat([local, name, localExtra, data]));
    if (dataDescriptor) {
      const descriptor = Buffer.alloc(zip64 ? 24 : 16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      if (zip64) {
        descriptor.writeBigUInt64LE(BigInt(data.length), 8);
        descriptor.writeBigUInt64LE(BigInt(content.length), 16);
      } else {
        descriptor.writeUInt32LE(data.length, 8);
        descriptor.writeUInt32LE(content.length, 12);
      }
      push(descriptor);
    }

    const centralExtra = zip64 ? extra64([content.length, data.length, localOffset]) : Buffer.alloc(0);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(version, 4);
    header.writeUInt16LE(version, 6);
    header.writeUInt16LE(flags, 8);
    header.writeUInt16LE(deflate ? 8 : 0, 10);
    header.writeUInt16LE(0, 12);
    header.writeUInt16LE(0x21, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(zip64 ? 0xffffffff : data.length, 20);
    header.writeUInt32LE(zip64 ? 0xffffffff : content.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt16LE(centralExtra.length, 30);
    header.writeUInt32LE(zip64 ? 0xffffffff : localOffset, 42);
    central.push(Buffer.concat([header, name, centralExtra]));
  }

  const directory = Buffer.concat(central);
  const directoryOffset = offset;
  push(directory);
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(entries.length), 24);
    record.writeBigUInt64LE(BigInt(entries.length), 32);
    record.writeBigUInt64LE(BigInt(directory.length), 40);
    record.writeBigUInt64LE(BigInt(directoryOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset), 8);
    locator.writeUInt32LE(1, 16);
    push(Buffer.concat([record, locator]));
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? 0xffff : entries.length, 8);
  end.writeUInt16LE(zip64 ? 0xffff : entries.length, 10);
  end.writeUInt32LE(zip64 ? 0xffffffff : directory.length, 12);
  end.writeUInt32LE(zip64 ? 0xffffffff : directoryOffset, 16);
  push(end);
  return Buffer.concat(parts);
}

/** A ZIP64 extended information extra field holding these 8-byte values. */
function extra64(values: number[]): Buffer {
  const field = Buffer.alloc(4 + 8 * values.length);
  field.writeUInt16LE(0x0001, 0);
  field.writeUInt16LE(8 * values.length, 2);
  values.forEach((value, k) => field.writeBigUInt64LE(BigInt(value), 4 + 8 * k));
  return field;
}
