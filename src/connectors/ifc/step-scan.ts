/**
 * A structural check of an IFC file's STEP text (ISO 10303-21) before web-ifc reads it. web-ifc
 * takes whatever it can from a damaged file and says nothing: a file cut in the middle converted
 * part of its products and reported Success, or stopped with an exception that names nothing.
 * This walks the bytes once, with no copy of the text, and fails with a NotAnIfcFile that names
 * what is wrong and where (line, entity id); what web-ifc can read past is a warning instead.
 *
 * Checked: the `ISO-10303-21;` start, a HEADER section with FILE_SCHEMA naming a schema, a DATA
 * section of entity instances `#id = NAME(...);` (or the complex form `#id = (A(...) B(...));`)
 * with balanced parentheses and closed strings, comments and binaries, ENDSEC and
 * `END-ISO-10303-21;`. Warnings: an id defined twice (the last definition is read), references to ids
 * the file does not define (read as nothing), content after the end. Parameter values themselves
 * are not checked: that is the schema's business, and web-ifc's.
 */
import { NotAnIfcFile } from './conversion-errors.js';
import { MAX_IDS_PER_WARNING, MAX_WARNINGS, type Warnings } from './warnings.js';

/** Forward references kept for the end of the first reading: 4 Mi pairs, 32 MB. */
const MAX_FORWARD_REFERENCES = 4 * 1024 * 1024;

export interface StepSummary {
  /** The schemas FILE_SCHEMA names, e.g. `['IFC4']`. */
  schemas: string[];
  /** Entity instances in the DATA section(s). */
  entities: number;
}

/** `maxForwardReferences` is for tests: how many forward references are kept before a second reading. */
export function scanStep(bytes: Uint8Array, warnings: Warnings, maxForwardReferences = MAX_FORWARD_REFERENCES): StepSummary {
  return new StepScanner(bytes, warnings, maxForwardReferences).scan();
}

const NEWLINE = 0x0a;
const QUOTE = 0x27; // '
const DOUBLE_QUOTE = 0x22; // "
const HASH = 0x23;
const OPEN = 0x28;
const CLOSE = 0x29;
const SEMICOLON = 0x3b;
const SLASH = 0x2f;
const STAR = 0x2a;
const EQUALS = 0x3d;

/** Bytes allowed between a parameter list's parentheses outside strings, binaries and comments. */
const IN_PARAMETERS = new Uint8Array(256);
for (const c of ' \t\r,.$*+-_!') IN_PARAMETERS[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) IN_PARAMETERS[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) IN_PARAMETERS[c] = IN_PARAMETERS[c + 0x20] = 1;
/** Bytes of a keyword (entity or header entry name). */
const IN_KEYWORD = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) IN_KEYWORD[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) IN_KEYWORD[c] = IN_KEYWORD[c + 0x20] = 1;
IN_KEYWORD[0x5f] = IN_KEYWORD[0x2d] = IN_KEYWORD[0x21] = 1; // _ - !

class StepScanner {
  private i = 0;
  private line = 1;
  /** The entity being read (0 outside one) and the line it starts on. */
  private entity = 0;
  private entityLine = 0;
  private lastEntity = 0;
  private lastEntityLine = 0;
  private entities = 0;
  private readonly defined: IdSet;
  /**
   * References to ids not defined yet when met, as (target, referring entity) pairs, resolved at the
   * end. Most references point backwards; a file that points forwards more than the list holds is
   * read a second time instead, knowing every id (memory stays bounded, the time doubles).
   */
  private readonly forward: PairList;
  private forwardOverflow = false;
  /** Ids referred to and defined nowhere (the first hundred, with up to 20 referrers each), and how many more. */
  private readonly missing = new Map<number, number[]>();
  private readonly missingBeyond = new IdSet();
  private missingBeyondCount = 0;

  constructor(
    private readonly b: Uint8Array,
    private readonly warnings: Warnings,
    maxForwardReferences: number,
    /** Every id the file defines, when this is the second reading (references only). */
    private readonly allIds?: IdSet,
  ) {
    this.defined = allIds ?? new IdSet();
    this.forward = new PairList(allIds ? 0 : maxForwardReferences);
  }

  scan(): StepSummary {
    const b = this.b;
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) this.i = 3; // a UTF-8 byte order mark
    this.space();
    if (!this.word('ISO-10303-21')) throw new NotAnIfcFile('the file is not an IFC (STEP, ISO-10303-21) file: it does not begin with ISO-10303-21;');
    this.statementEnd('ISO-10303-21');
    this.space();
    if (this.atEnd()) throw new NotAnIfcFile('the file ends right after ISO-10303-21;: it is truncated');
    this.cutInside('HEADER');
    if (!this.word('HEADER')) throw new NotAnIfcFile(`line ${this.line}: expected HEADER; after ISO-10303-21;, found ${this.found()}`);
    this.statementEnd('HEADER');
    const schemas = this.header();
    this.space();
    if (this.atEnd()) throw new NotAnIfcFile('the file ends after its header, before its DATA section: it is truncated');
    this.cutInside('DATA');
    if (!this.word('DATA')) throw new NotAnIfcFile(`line ${this.line}: expected the DATA section after the header, found ${this.found()}`);
    for (;;) {
      this.dataSection();
      this.space();
      if (this.word('DATA')) continue;
      if (this.word('END-ISO-10303-21')) break;
      this.cutInside('END-ISO-10303-21', 'DATA');
      if (this.atEnd()) throw new NotAnIfcFile(`the file ends after its DATA section (line ${this.line}) without END-ISO-10303-21;: it is truncated`);
      throw new NotAnIfcFile(`line ${this.line}: expected END-ISO-10303-21; after the DATA section, found ${this.found()}`);
    }
    this.statementEnd('END-ISO-10303-21');
    this.space();
    if (!this.atEnd() && !this.allIds)
      this.warnings.add('ContentAfterEnd', `The file goes on after END-ISO-10303-21; (line ${this.line}); what follows was ignored.`);
    this.danglingReferences();
    return { schemas, entities: this.entities };
  }

  /** HEADER entries up to ENDSEC; returns what FILE_SCHEMA names. */
  private header(): string[] {
    let schemas: string[] | undefined;
    for (;;) {
      this.space();
      if (this.atEnd()) throw new NotAnIfcFile(`the file ends inside its header (line ${this.line}): it is truncated`);
      if (this.word('ENDSEC')) break;
      this.cutInside('ENDSEC');
      const start = this.i;
      const entryLine = this.line;
      this.keyword();
      const name = Buffer.from(this.b.buffer, this.b.byteOffset + start, this.i - start).toString('latin1');
      if (!name)
        throw new NotAnIfcFile(`line ${this.line}: expected a header entry (FILE_DESCRIPTION, FILE_NAME, FILE_SCHEMA) or ENDSEC;, found ${this.found()}`);
      this.space();
      if (this.atEnd()) throw new NotAnIfcFile(`the file ends in the middle of its header (line ${this.line}): it is truncated`);
      if (this.b[this.i] !== OPEN) throw new NotAnIfcFile(`line ${this.line}: expected '(' after the header entry ${name}, found ${this.found()}`);
      const from = this.i;
      this.entityLine = entryLine;
      this.parameters();
      if (name === 'FILE_SCHEMA') schemas = stringsIn(Buffer.from(this.b.buffer, this.b.byteOffset + from, this.i - from).toString('latin1'));
      this.statementEnd(`the header entry ${name} (line ${entryLine})`);
    }
    this.statementEnd('ENDSEC');
    if (!schemas) throw new NotAnIfcFile('the header has no FILE_SCHEMA: the file does not say which IFC schema it follows');
    if (schemas.length === 0 || schemas.every((s) => !s.trim())) throw new NotAnIfcFile('FILE_SCHEMA in the header names no schema');
    return schemas;
  }

  /** After `DATA`: optional parameters (edition 3), `;`, entity instances, `ENDSEC;`. */
  private dataSection(): void {
    this.space();
    if (this.b[this.i] === OPEN) this.parameters();
    this.statementEnd('DATA');
    const b = this.b;
    for (;;) {
      this.space();
      if (this.atEnd()) {
        throw new NotAnIfcFile(
          this.lastEntity
            ? `the file ends after entity #${this.lastEntity} (line ${this.lastEntityLine}) without closing its DATA section (ENDSEC;): it is truncated`
            : 'the file ends right after DATA;: it is truncated',
        );
      }
      if (b[this.i] === HASH) this.entityInstance();
      else if (this.word('ENDSEC')) break;
      else {
        this.cutInside('ENDSEC');
        const after = this.lastEntity ? ` (after entity #${this.lastEntity})` : '';
        throw new NotAnIfcFile(`line ${this.line}: expected an entity instance (#id=NAME(...);) or ENDSEC;${after}, found ${this.found()}`);
      }
    }
    this.statementEnd('ENDSEC');
  }

  private entityInstance(): void {
    const b = this.b;
    const line = this.line;
    this.i++;
    const id = this.id();
    if (id === undefined && this.atEnd()) {
      const after = this.lastEntity ? ` (after entity #${this.lastEntity})` : '';
      throw new NotAnIfcFile(`the file ends in the middle of an entity on line ${line}${after}: it is truncated`);
    }
    if (id === undefined) throw new NotAnIfcFile(`line ${line}: '#' is not followed by an entity id, found ${this.found()}`);
    this.entity = id;
    this.entityLine = line;
    this.space();
    if (this.atEnd()) throw this.truncated();
    if (b[this.i] !== EQUALS) throw new NotAnIfcFile(`line ${this.line}: expected '=' after #${id}, found ${this.found()}`);
    this.i++;
    if (!this.allIds && this.defined.has(id)) {
      this.warnings.add('DuplicateStepId', `#${id} is defined more than once (again on line ${line}); only the last definition is read.`, [id]);
    }
    this.defined.add(id);
    this.space();
    if (this.atEnd()) throw this.truncated();
    if (b[this.i] !== OPEN) {
      const start = this.i;
      this.keyword();
      if (this.i === start) throw new NotAnIfcFile(`${this.where()}: expected an entity name after '=', found ${this.found()}`);
      this.space();
      if (this.atEnd()) throw this.truncated();
      if (b[this.i] !== OPEN) throw new NotAnIfcFile(`${this.where()}: expected '(' after its entity name, found ${this.found()}`);
    }
    this.parameters();
    this.statementEnd(this.where());
    this.entities++;
    this.lastEntity = id;
    this.lastEntityLine = line;
    this.entity = 0;
  }

  /**
   * From an opening parenthesis to the one that closes it. The hot loop of the scan: position and
   * line live in locals, strings and references are read inline, the rare cases go through methods.
   */
  private parameters(): void {
    const b = this.b;
    const n = b.length;
    let i = this.i;
    let line = this.line;
    let depth = 0;
    for (;;) {
      if (i >= n) {
        this.i = i;
        this.line = line;
        throw this.truncated();
      }
      const c = b[i]!;
      if (IN_PARAMETERS[c] === 1) i++;
      else if (c === OPEN) {
        depth++;
        i++;
      } else if (c === CLOSE) {
        i++;
        if (--depth === 0) break;
      } else if (c === HASH) {
        const start = ++i;
        let target = 0;
        for (let d = b[i]! - 0x30; i < n && d >= 0 && d <= 9; d = b[++i]! - 0x30) target = target * 10 + d;
        if (i === start || i - start > 15) {
          this.i = i;
          this.line = line;
          if (i >= n) throw this.truncated();
          throw new NotAnIfcFile(`${this.where()}: '#' on line ${line} is not followed by an entity id`);
        }
        if (!this.defined.has(target)) this.referenceAhead(target);
      } else if (c === QUOTE) {
        // A string: ' to ', with '' standing for one quote.
        const startLine = line;
        i++;
        for (;;) {
          if (i >= n) {
            this.i = i;
            this.line = line;
            throw this.truncated(`inside a string that begins on line ${startLine}`);
          }
          const d = b[i++];
          if (d === QUOTE) {
            if (b[i] !== QUOTE) break;
            i++;
          } else if (d === NEWLINE) {
            line++;
            // A string left open swallows the entities after it; say so where it happens.
            const next = this.entityAt(i);
            if (next !== undefined) {
              this.i = i;
              this.line = line;
              throw new NotAnIfcFile(`${this.where()}: a string that begins on line ${startLine} is not closed before entity #${next} on line ${line}`);
            }
          }
        }
      } else if (c === NEWLINE) {
        line++;
        i++;
      } else if (c === DOUBLE_QUOTE || (c === SLASH && b[i + 1] === STAR)) {
        this.i = i;
        this.line = line;
        if (c === DOUBLE_QUOTE) this.binary();
        else this.comment();
        i = this.i;
        line = this.line;
      } else {
        this.i = i;
        this.line = line;
        if (c === SEMICOLON) {
          throw new NotAnIfcFile(
            `${this.where()}: its parentheses are unbalanced: ${depth} ${depth === 1 ? 'is' : 'are'} still open at the ';' on line ${line}`,
          );
        }
        throw new NotAnIfcFile(`${this.where()}: unexpected ${describeByte(c)} on line ${line}`);
      }
    }
    this.i = i;
    this.line = line;
  }

  /** A binary: `"` hex digits `"`. */
  private binary(): void {
    const end = this.b.indexOf(DOUBLE_QUOTE, this.i + 1);
    if (end < 0) throw this.truncated('inside a binary value');
    for (let j = this.i + 1; j < end; j++)
      if (this.b[j] === NEWLINE) throw new NotAnIfcFile(`${this.where()}: a binary value on line ${this.line} is not closed`);
    this.i = end + 1;
  }

  /** Digits of an entity id, or undefined when there are none. */
  private id(): number | undefined {
    const b = this.b;
    const start = this.i;
    let value = 0;
    while (this.i < b.length && b[this.i]! >= 0x30 && b[this.i]! <= 0x39) value = value * 10 + (b[this.i++]! - 0x30);
    if (this.i === start) return undefined;
    if (this.i - start > 15) throw new NotAnIfcFile(`line ${this.line}: entity id #${value} is too large`);
    return value;
  }

  /** The id of an entity instance starting at j (after blanks), if one does. */
  private entityAt(j: number): number | undefined {
    const b = this.b;
    while (b[j] === 0x20 || b[j] === 0x09 || b[j] === 0x0d) j++;
    if (b[j] !== HASH) return undefined;
    let value = 0;
    const start = ++j;
    while (b[j]! >= 0x30 && b[j]! <= 0x39) value = value * 10 + (b[j++]! - 0x30);
    if (j === start) return undefined;
    while (b[j] === 0x20 || b[j] === 0x09) j++;
    return b[j] === EQUALS ? value : undefined;
  }

  private keyword(): void {
    while (this.i < this.b.length && IN_KEYWORD[this.b[this.i]!]) this.i++;
  }

  /** Blanks, line ends and comments. */
  private space(): void {
    const b = this.b;
    while (this.i < b.length) {
      const c = b[this.i];
      if (c === NEWLINE) this.line++;
      else if (c === SLASH && b[this.i + 1] === STAR) {
        this.comment();
        continue;
      } else if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0c) return;
      this.i++;
    }
  }

  private comment(): void {
    const b = this.b;
    const startLine = this.line;
    for (let k = b.indexOf(STAR, this.i + 2); k >= 0 && k + 1 < b.length; k = b.indexOf(STAR, k + 1)) {
      if (b[k + 1] !== SLASH) continue;
      for (let j = this.i + 2; j < k; j++) if (b[j] === NEWLINE) this.line++;
      this.i = k + 2;
      return;
    }
    throw this.entity
      ? this.truncated(`inside a comment that begins on line ${startLine}`)
      : new NotAnIfcFile(`the file ends inside a comment that begins on line ${startLine}: it is truncated`);
  }

  /** Blanks, then the `;` that ends a statement. */
  private statementEnd(what: string): void {
    this.space();
    if (this.atEnd()) throw this.entity ? this.truncated() : new NotAnIfcFile(`the file ends after ${what}, before its ';': it is truncated`);
    if (this.b[this.i] === SEMICOLON) {
      this.i++;
      return;
    }
    if (this.b[this.i] === CLOSE) throw new NotAnIfcFile(`${what}: its parentheses are unbalanced: one ')' too many on line ${this.line}`);
    throw new NotAnIfcFile(`${what}: expected ';' on line ${this.line}, found ${this.found()}`);
  }

  private word(text: string): boolean {
    const b = this.b;
    for (let k = 0; k < text.length; k++) if (b[this.i + k] !== text.charCodeAt(k)) return false;
    if (IN_KEYWORD[b[this.i + text.length] ?? 0]) return false; // DATAX is not DATA
    this.i += text.length;
    return true;
  }

  /** Fails when the file ends part-way through one of these words: it was cut there. */
  private cutInside(...words: string[]): void {
    const rest = this.b.length - this.i;
    for (const word of words) {
      if (rest === 0 || rest >= word.length) continue;
      let k = 0;
      while (k < rest && this.b[this.i + k] === word.charCodeAt(k)) k++;
      if (k === rest) throw new NotAnIfcFile(`the file ends in the middle of ${word} (line ${this.line}): it is truncated`);
    }
  }

  private atEnd(): boolean {
    return this.i >= this.b.length;
  }

  private where(): string {
    return this.entity ? `entity #${this.entity} (line ${this.entityLine})` : `the header (line ${this.entityLine || this.line})`;
  }

  private truncated(detail?: string): NotAnIfcFile {
    const inside = detail ? ` (${detail})` : '';
    return new NotAnIfcFile(
      this.entity
        ? `the file ends in the middle of entity #${this.entity} (line ${this.entityLine})${inside}: it is truncated`
        : `the file ends in the middle of its header (line ${this.entityLine || this.line})${inside}: it is truncated`,
    );
  }

  /** A short, printable excerpt of what is at the current position. */
  private found(): string {
    if (this.atEnd()) return 'the end of the file';
    let text = '';
    for (let j = this.i; j < this.b.length && j < this.i + 24 && this.b[j] !== NEWLINE; j++) {
      const c = this.b[j]!;
      text += c >= 0x20 && c < 0x7f && c !== DOUBLE_QUOTE && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
    }
    return `"${text}"`;
  }

  /** A reference to an id not defined so far: kept for the end, or (second reading) missing for good. */
  private referenceAhead(target: number): void {
    if (this.allIds) this.noteMissing(target, this.entity);
    else if (!this.forward.push(target, this.entity)) this.forwardOverflow = true;
  }

  private noteMissing(target: number, from: number): void {
    const referrers = this.missing.get(target);
    if (referrers) {
      if (referrers.length < MAX_IDS_PER_WARNING && referrers.at(-1) !== from) referrers.push(from);
    } else if (this.missing.size < MAX_WARNINGS) this.missing.set(target, [from]);
    else if (!this.missingBeyond.has(target)) {
      this.missingBeyond.add(target);
      this.missingBeyondCount++;
    }
  }

  /** References to ids the whole file does not define, one warning per missing id (bounded). */
  private danglingReferences(): void {
    if (this.allIds) return; // the first reading reports what the second found
    let missing: StepScanner = this;
    if (this.forwardOverflow) {
      missing = new StepScanner(this.b, this.warnings, 0, this.defined);
      missing.scan();
    } else {
      this.forward.forEach((target, from) => {
        if (!this.defined.has(target)) this.noteMissing(target, from);
      });
    }
    for (const [target, referrers] of missing.missing) {
      const by = referrers.map((r) => `#${r}`).join(', ');
      this.warnings.add('DanglingReference', `#${target} is referred to by ${by} but the file does not define it; the reference is read as empty.`, referrers);
    }
    const beyond = missing.missingBeyondCount;
    if (beyond > 0) this.warnings.add('DanglingReference', `${beyond} more entities are referred to but not defined.`, [], beyond);
  }
}

/** The strings of a parameter list's text (`''` read as one quote). */
function stringsIn(text: string): string[] {
  return [...text.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replaceAll("''", "'"));
}

function describeByte(c: number): string {
  return c >= 0x21 && c < 0x7f ? `character '${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/** Which entity ids exist: a bitmap for the ids files use (up to 2^28, 32 MB at most), a set beyond. */
class IdSet {
  private static readonly BITMAP_LIMIT = 2 ** 28;
  private bits = new Uint8Array(1 << 16);
  private readonly large = new Set<number>();

  has(id: number): boolean {
    if (id >= IdSet.BITMAP_LIMIT) return this.large.has(id);
    const byte = id >>> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (id & 7))) !== 0;
  }

  add(id: number): void {
    if (id >= IdSet.BITMAP_LIMIT) {
      this.large.add(id);
      return;
    }
    const byte = id >>> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.min(IdSet.BITMAP_LIMIT / 8, Math.max(byte + 1, this.bits.length * 2)));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[byte]! |= 1 << (id & 7);
  }
}

/** A growing, bounded list of pairs of ids in one typed array (no object per pair). */
class PairList {
  private data = new Uint32Array(0);
  private length = 0;

  constructor(private readonly maxPairs: number) {}

  /** False when the pair does not fit (the list is full, or an id exceeds 32 bits). */
  push(a: number, b: number): boolean {
    if (a > 0xffffffff || b > 0xffffffff) return false;
    if (this.length + 2 > this.data.length) {
      if (this.data.length >= this.maxPairs * 2) return false;
      const grown = new Uint32Array(Math.min(Math.max(4096, this.data.length * 2), this.maxPairs * 2));
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = a;
    this.data[this.length++] = b;
    return true;
  }

  forEach(each: (a: number, b: number) => void): void {
    for (let k = 0; k < this.length; k += 2) each(this.data[k]!, this.data[k + 1]!);
  }
}
