/**
 * A plain reading of an IFC file's STEP text (ISO 10303-21): every entity instance's attributes by
 * position, exactly as the file writes them.
 *
 * Why not web-ifc's GetLine for the data: web-ifc 0.0.78 shifts attribute values on lines that
 * write `*` for an attribute (IFC2X3 files do, e.g. for IfcSIUnit's dimensions or redeclared
 * attributes), and a file of that kind silently lost all its property sets and storey
 * assignments. web-ifc stays the reader of geometry, which that bug does not touch.
 *
 * The file is indexed in one pass (where each instance starts and ends, by id and by type); an
 * instance's attributes are parsed when they are asked for, so that memory follows what is read,
 * not the file's size times the size of a parsed object. Once indexed, the text itself may be read
 * back from the file on demand instead of held (readFrom, step-text.ts).
 */
import { StepText } from './step-text.js';

/** `$`: the attribute is not given. */
export type StepNull = null;
/** `*`: the attribute is derived (its value comes from elsewhere in the schema). */
export const DERIVED: unique symbol = Symbol('derived');
export interface StepRef {
  ref: number;
}
export interface StepEnum {
  enum: string;
}
/** A value given with its type, e.g. `IFCLABEL('x')` or `IFCLENGTHMEASURE(2.5)`. */
export interface StepTyped {
  type: string;
  value: StepValue;
}
export type StepValue = StepNull | typeof DERIVED | number | string | StepRef | StepEnum | StepTyped | StepValue[];

export interface StepEntity {
  id: number;
  /** Upper case, as STEP writes it: `IFCWALL`. */
  type: string;
  attributes: StepValue[];
}

export class StepFile {
  /**
   * Per instance (its slot, in file order): id, start of its attribute list (the '('), end (the
   * ';'), type (an index into `typeList`). Typed arrays, not arrays of numbers: a JavaScript array
   * costs 8 bytes a number and grows by half again, and a large file has millions of instances
   * (the index of a 50 MB file took 34 MB that way, 14 MB now).
   */
  private ids: Uint32Array;
  private starts: Uint32Array;
  private ends: Uint32Array;
  private types: Uint32Array;
  private count = 0;
  /** The type names, each once (a few hundred types, millions of instances). */
  private readonly typeList: string[] = [];
  private readonly typeCodes = new Map<string, number>();
  /** Slots grouped by type, in file order within each: type t's are byType[typeStart[t] … typeStart[t + 1]). */
  private byType = new Uint32Array(0);
  private typeStart = new Uint32Array(1);
  /** id → slot: a dense array when ids are dense (as exporters write them), a map when not. */
  private dense: Int32Array | undefined;
  private sparse: Map<number, number> | undefined;

  /** Where the first DATA section starts: what comes before it is the header. */
  headerEnd = 0;
  /** The header's bytes, copied: a view would keep the whole text alive. */
  private headerBytes = new Uint8Array(0);
  /** The text while it is held; once readFrom has been called, `text` reads it instead. */
  private bytes: Uint8Array | undefined;
  private text: StepText | undefined;
  private readonly length: number;

  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.length = bytes.length;
    // Offsets are 32-bit: the largest file a Uint8Array of Node 20 holds (4 GiB) fits.
    if (bytes.length > 0xffffffff) throw new RangeError('a STEP file of 4 GiB or more is not supported');
    // About one instance per 50 bytes in files written by authoring tools; grown when more.
    const capacity = Math.max(1024, Math.ceil(bytes.length / 50));
    this.ids = new Uint32Array(capacity);
    this.starts = new Uint32Array(capacity);
    this.ends = new Uint32Array(capacity);
    this.types = new Uint32Array(capacity);
  }

  /** The file's header (ISO-10303-21; HEADER; … ENDSEC;), as written. */
  header(): Uint8Array {
    return this.headerBytes;
  }

  /** Indexes the DATA section(s) of the file; instances it cannot make sense of are left out. */
  static index(bytes: Uint8Array): StepFile {
    const file = new StepFile(bytes);
    file.scan();
    file.headerBytes = Uint8Array.from(bytes.subarray(0, file.headerEnd));
    file.trim();
    file.groupByType();
    file.buildLookup();
    return file;
  }

  private add(id: number, start: number, end: number, type: number): void {
    if (this.count === this.ids.length) {
      const capacity = Math.ceil(this.count * 1.5);
      const grown = (column: Uint32Array) => {
        const bigger = new Uint32Array(capacity);
        bigger.set(column);
        return bigger;
      };
      this.ids = grown(this.ids);
      this.starts = grown(this.starts);
      this.ends = grown(this.ends);
      this.types = grown(this.types);
    }
    this.ids[this.count] = id;
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.types[this.count] = type;
    this.count++;
  }

  /** The columns cut to the instances found (the capacity was a guess). */
  private trim(): void {
    this.ids = this.ids.slice(0, this.count);
    this.starts = this.starts.slice(0, this.count);
    this.ends = this.ends.slice(0, this.count);
    this.types = this.types.slice(0, this.count);
  }

  /** A counting sort of the slots by type, stable: each type's instances in file order. */
  private groupByType(): void {
    const start = new Uint32Array(this.typeList.length + 1);
    for (let at = 0; at < this.count; at++) start[this.types[at]! + 1]!++;
    for (let t = 0; t < this.typeList.length; t++) start[t + 1]! += start[t]!;
    const next = start.slice(0, this.typeList.length);
    const byType = new Uint32Array(this.count);
    for (let at = 0; at < this.count; at++) byType[next[this.types[at]!]!++] = at;
    this.byType = byType;
    this.typeStart = start;
  }

  private buildLookup(): void {
    let max = 0;
    for (let at = 0; at < this.count; at++) if (this.ids[at]! > max) max = this.ids[at]!;
    // A repeated id (a broken file): the last definition is read, as web-ifc reads it.
    if (max <= 4 * this.count + 1024) {
      this.dense = new Int32Array(max + 1).fill(-1);
      for (let at = 0; at < this.count; at++) this.dense[this.ids[at]!] = at;
    } else {
      this.sparse = new Map();
      for (let at = 0; at < this.count; at++) this.sparse.set(this.ids[at]!, at);
    }
  }

  /** The instance's slot in the index, 0 to size − 1 (undefined: no such instance). */
  slotOf(id: number): number | undefined {
    if (this.dense) {
      const at = id >= 0 && id < this.dense.length ? this.dense[id]! : -1;
      return at < 0 ? undefined : at;
    }
    return this.sparse!.get(id);
  }

  get size(): number {
    return this.count;
  }

  has(id: number): boolean {
    return this.slotOf(id) !== undefined;
  }

  typeOf(id: number): string | undefined {
    const at = this.slotOf(id);
    return at === undefined ? undefined : this.typeList[this.types[at]!];
  }

  /**
   * From now on, the text is read from `fd` (open on the file the indexed bytes were read from,
   * unchanged) as instances are asked for, and the bytes given to index() are no longer referenced:
   * once the caller lets go of them too, they are freed. The descriptor is closed by close().
   */
  readFrom(fd: number): void {
    this.text = new StepText(fd, this.length);
    this.bytes = undefined;
  }

  /** Closes the file the text is read from, if it is (readFrom). */
  close(): void {
    this.text?.close();
    this.text = undefined;
  }

  /**
   * The instance's attribute list as written, from '(' to before ';': a view of the held bytes, or
   * of a block read from the file (valid until the next read, step-text.ts).
   */
  private textOf(at: number): Uint8Array {
    const start = this.starts[at]!;
    const end = this.ends[at]!;
    return this.bytes ? this.bytes.subarray(start, end) : this.text!.read(start, end);
  }

  /** The ids of every instance of these types (exactly these: no subtypes), in file order. */
  idsOf(...types: string[]): number[] {
    const out: number[] = [];
    for (const type of types) {
      const t = this.typeCodes.get(type);
      if (t === undefined) continue;
      for (let k = this.typeStart[t]!; k < this.typeStart[t + 1]!; k++) out.push(this.ids[this.byType[k]!]!);
    }
    return out;
  }

  /** Every type the file has instances of, in the order of their first instance. */
  typesPresent(): string[] {
    return [...this.typeList];
  }

  /**
   * The instance's attribute list as written, from '(' to before ';' (empty when there is no such
   * instance). Use it at once: read from the file, it is valid until the next read.
   */
  raw(id: number): Uint8Array {
    const at = this.slotOf(id);
    return at === undefined ? new Uint8Array(0) : this.textOf(at);
  }

  /**
   * Writes `#id=TYPE(…);` and a line break into `target` at `offset`, as the file writes the
   * instance (nothing when there is no such instance); returns the offset after it. With
   * instanceLength, what a subset file is assembled from without an object per instance.
   */
  writeInstance(id: number, target: Buffer, offset: number): number {
    const at = this.slotOf(id);
    if (at === undefined) return offset;
    let o = offset + target.write(`#${id}=${this.typeList[this.types[at]!]!}`, offset, 'latin1');
    target.set(this.textOf(at), o);
    o += this.ends[at]! - this.starts[at]!;
    return o + target.write(';\n', o, 'latin1');
  }

  /** How many bytes writeInstance writes for the instance. */
  instanceLength(id: number): number {
    const at = this.slotOf(id);
    if (at === undefined) return 0;
    return 1 + String(id).length + 1 + this.typeList[this.types[at]!]!.length + (this.ends[at]! - this.starts[at]!) + 2;
  }

  /** The ids the instance refers to, in the order written (strings skipped), without parsing its values. */
  refsOf(id: number): number[] {
    const at = this.slotOf(id);
    if (at === undefined) return [];
    const b = this.textOf(at);
    const end = b.length;
    const out: number[] = [];
    let i = 0;
    while (i < end) {
      const c = b[i]!;
      if (c === 0x27) {
        i = skipString(b, i);
        continue;
      }
      if (c === 0x2f && b[i + 1] === 0x2a) {
        i = skipComment(b, i);
        continue;
      }
      if (c === 0x23) {
        let j = i + 1;
        let ref = 0;
        while (j < end && b[j]! >= 0x30 && b[j]! <= 0x39) ref = ref * 10 + (b[j++]! - 0x30);
        if (j > i + 1) out.push(ref);
        i = j;
        continue;
      }
      i++;
    }
    return out;
  }

  entity(id: number): StepEntity | undefined {
    const at = this.slotOf(id);
    if (at === undefined) return undefined;
    const text = this.textOf(at);
    const parser = new AttributeParser(text, 0, text.length);
    const attributes = parser.list();
    return { id, type: this.typeList[this.types[at]!]!, attributes: Array.isArray(attributes) ? attributes : [] };
  }

  private scan(): void {
    const b = this.bytes!;
    const n = b.length;
    let i = 0;
    let inData = false;
    while (i < n) {
      const c = b[i]!;
      if (c === 0x2f /* / */ && b[i + 1] === 0x2a /* * */) {
        i = skipComment(b, i);
        continue;
      }
      if (c === 0x27 /* ' */) {
        i = skipString(b, i);
        continue;
      }
      if (!inData) {
        // Sections by their keyword; the header's entities are not instances.
        if (c === 0x44 /* D */ && matches(b, i, 'DATA') && !isNameByte(b[i - 1]) && !isNameByte(b[i + 4])) {
          inData = true;
          if (this.headerEnd === 0) this.headerEnd = i;
          i += 4;
          continue;
        }
        i++;
        continue;
      }
      if (c === 0x45 /* E */ && matches(b, i, 'ENDSEC') && !isNameByte(b[i - 1])) {
        inData = false;
        i += 6;
        continue;
      }
      if (c !== 0x23 /* # */) {
        i++;
        continue;
      }
      // #id = TYPE ( ... ) ;
      let j = i + 1;
      let id = 0;
      while (j < n && b[j]! >= 0x30 && b[j]! <= 0x39) id = id * 10 + (b[j++]! - 0x30);
      j = skipSpace(b, j);
      // An id past 32 bits is no id web-ifc (or any exporter) writes: not an instance.
      if (b[j] !== 0x3d /* = */ || id > 0xffffffff) {
        i = j;
        continue;
      }
      j = skipSpace(b, j + 1);
      const typeStart = j;
      while (j < n && isNameByte(b[j])) j++;
      const name = latin1(b, typeStart, j).toUpperCase();
      let type = this.typeCodes.get(name);
      if (type === undefined && name) {
        type = this.typeList.length;
        this.typeList.push(name);
        this.typeCodes.set(name, type);
      }
      j = skipSpace(b, j);
      if (b[j] !== 0x28 /* ( */) {
        // A complex instance `#1=(A(…)B(…));` (rare in IFC) is skipped whole.
        i = endOfInstance(b, j);
        continue;
      }
      const end = endOfInstance(b, j);
      if (type !== undefined && end <= n) this.add(id, j, end, type);
      i = end + 1;
    }
  }
}

function matches(b: Uint8Array, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (b[at + k] !== word.charCodeAt(k)) return false;
  return true;
}

function isNameByte(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f);
}

/** Past white space and comments (STEP allows a comment wherever it allows white space). */
function skipSpace(b: Uint8Array, i: number): number {
  for (;;) {
    while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
    if (b[i] === 0x2f && b[i + 1] === 0x2a) i = skipComment(b, i);
    else return i;
  }
}

function skipComment(b: Uint8Array, i: number): number {
  for (let j = i + 2; j < b.length - 1; j++) if (b[j] === 0x2a && b[j + 1] === 0x2f) return j + 2;
  return b.length;
}

/** Past the closing quote of the string starting at `i` ('' is a quote inside it). */
function skipString(b: Uint8Array, i: number): number {
  let j = i + 1;
  while (j < b.length) {
    if (b[j] === 0x27) {
      if (b[j + 1] === 0x27) j += 2;
      else return j + 1;
    } else j++;
  }
  return b.length;
}

/** The `;` that ends the instance whose attribute list starts at `i` (strings and comments skipped). */
function endOfInstance(b: Uint8Array, i: number): number {
  let depth = 0;
  let j = i;
  while (j < b.length) {
    const c = b[j]!;
    if (c === 0x27) {
      j = skipString(b, j);
      continue;
    }
    if (c === 0x2f && b[j + 1] === 0x2a) {
      j = skipComment(b, j);
      continue;
    }
    if (c === 0x28) depth++;
    else if (c === 0x29) depth--;
    else if (c === 0x3b && depth <= 0) return j;
    j++;
  }
  return b.length;
}

function latin1(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let k = from; k < to; k++) s += String.fromCharCode(b[k]!);
  return s;
}

/** Parses one attribute list (or value) of an instance. */
class AttributeParser {
  constructor(
    private readonly b: Uint8Array,
    private at: number,
    private readonly end: number,
  ) {}

  list(): StepValue {
    return this.value();
  }

  private value(): StepValue {
    const b = this.b;
    this.at = skipSpace(b, this.at);
    const c = b[this.at];
    if (c === undefined || this.at >= this.end) return null;
    if (c === 0x28 /* ( */) {
      this.at++;
      const items: StepValue[] = [];
      for (;;) {
        this.at = skipSpace(b, this.at);
        if (this.at >= this.end) break;
        if (b[this.at] === 0x29 /* ) */) {
          this.at++;
          break;
        }
        items.push(this.value());
        this.at = skipSpace(b, this.at);
        if (b[this.at] === 0x2c /* , */) this.at++;
      }
      return items;
    }
    if (c === 0x24 /* $ */) {
      this.at++;
      return null;
    }
    if (c === 0x2a /* * */) {
      this.at++;
      return DERIVED;
    }
    if (c === 0x23 /* # */) {
      let j = this.at + 1;
      let id = 0;
      while (b[j]! >= 0x30 && b[j]! <= 0x39) id = id * 10 + (b[j++]! - 0x30);
      this.at = j;
      return { ref: id };
    }
    if (c === 0x27 /* ' */) {
      const close = skipString(b, this.at);
      const text = decodeStepString(b, this.at + 1, close - 1);
      this.at = close;
      return text;
    }
    if (c === 0x22 /* " binary */) {
      let j = this.at + 1;
      while (j < this.end && b[j] !== 0x22) j++;
      const text = latin1(b, this.at + 1, j);
      this.at = j + 1;
      return text;
    }
    if (c === 0x2e /* . */) {
      let j = this.at + 1;
      while (j < this.end && b[j] !== 0x2e) j++;
      const name = latin1(b, this.at + 1, j);
      this.at = j + 1;
      return { enum: name };
    }
    if (isNameByte(c) && !(c >= 0x30 && c <= 0x39)) {
      let j = this.at;
      while (isNameByte(b[j])) j++;
      const type = latin1(b, this.at, j).toUpperCase();
      this.at = skipSpace(b, j);
      if (b[this.at] === 0x28) {
        this.at++;
        const inner = this.value();
        this.at = skipSpace(b, this.at);
        // The typed value's own closing parenthesis (a typed list keeps its inner list).
        while (this.at < this.end && b[this.at] !== 0x29) this.at++;
        this.at++;
        return { type, value: inner };
      }
      return { enum: type };
    }
    // A number: sign, digits, point, exponent.
    let j = this.at;
    while (j < this.end) {
      const d = b[j]!;
      if ((d >= 0x30 && d <= 0x39) || d === 0x2b || d === 0x2d || d === 0x2e || d === 0x45 || d === 0x65) j++;
      else break;
    }
    if (j === this.at) {
      // Not a value STEP knows: skipped, and read as unset rather than as a number.
      this.at++;
      return null;
    }
    const number = Number(latin1(b, this.at, j));
    this.at = j;
    return Number.isFinite(number) ? number : null;
  }
}

/**
 * A STEP string's text: '' is a quote, \X2\…\X0\ UTF-16 code units in hex, \X4\…\X0\ code points,
 * \X\hh one ISO 8859-1 byte, \S\c the upper half of the code page, \\ a backslash; bytes outside
 * ASCII (files that write UTF-8 directly, against the standard) decoded as UTF-8 when they are.
 */
export function decodeStepString(b: Uint8Array, from: number, to: number): string {
  let hasHigh = false;
  for (let k = from; k < to; k++) {
    if (b[k]! >= 0x80) {
      hasHigh = true;
      break;
    }
  }
  const raw = hasHigh ? utf8OrLatin1(b.subarray(from, to)) : latin1(b, from, to);
  if (!raw.includes('\\') && !raw.includes("''")) return raw;
  // One pass, left to right: an escape's output is never read as the start of another.
  let out = '';
  let i = 0;
  const hexAt = (at: number, length: number) => {
    const hex = raw.slice(at, at + length);
    return hex.length === length && /^[0-9A-Fa-f]+$/.test(hex) ? Number.parseInt(hex, 16) : undefined;
  };
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === "'" && raw[i + 1] === "'") {
      out += "'";
      i += 2;
    } else if (c !== '\\') {
      out += c;
      i++;
    } else if (raw.startsWith('\\\\', i)) {
      out += '\\';
      i += 2;
    } else if (raw.startsWith('\\X2\\', i) || raw.startsWith('\\X4\\', i)) {
      const width = raw[i + 2] === '2' ? 4 : 8;
      const end = raw.indexOf('\\X0\\', i + 4);
      const body = end < 0 ? '' : raw.slice(i + 4, end);
      if (end < 0 || body.length % width !== 0 || !/^[0-9A-Fa-f]*$/.test(body)) {
        out += c;
        i++;
        continue;
      }
      for (let k = 0; k < body.length; k += width) {
        const code = Number.parseInt(body.slice(k, k + width), 16);
        out += width === 4 ? String.fromCharCode(code) : String.fromCodePoint(code);
      }
      i = end + 4;
    } else if (raw.startsWith('\\X\\', i) && hexAt(i + 3, 2) !== undefined) {
      out += String.fromCharCode(hexAt(i + 3, 2)!);
      i += 5;
    } else if (raw.startsWith('\\S\\', i) && i + 3 < raw.length) {
      out += String.fromCharCode(raw.charCodeAt(i + 3) + 0x80);
      i += 4;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
function utf8OrLatin1(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1(bytes, 0, bytes.length);
  }
}

/** Helpers to read attributes without repeating type checks everywhere. */
export const step = {
  text(value: StepValue | undefined): string | null {
    const v = value !== null && typeof value === 'object' && 'type' in value ? value.value : value;
    return typeof v === 'string' && v.trim() !== '' ? v : null;
  },
  number(value: StepValue | undefined): number | null {
    const v = value !== null && typeof value === 'object' && 'type' in value ? value.value : value;
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  },
  ref(value: StepValue | undefined): number | null {
    return value !== null && typeof value === 'object' && 'ref' in value ? value.ref : null;
  },
  refs(value: StepValue | undefined): number[] {
    if (!Array.isArray(value)) {
      const one = step.ref(value);
      return one === null ? [] : [one];
    }
    const out: number[] = [];
    for (const item of value) {
      const r = step.ref(item);
      if (r !== null) out.push(r);
    }
    return out;
  },
  enumOf(value: StepValue | undefined): string | null {
    return value !== null && typeof value === 'object' && 'enum' in value ? value.enum : null;
  },
};
