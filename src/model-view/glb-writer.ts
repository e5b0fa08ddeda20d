import fs from 'node:fs';

/** One coloured part of an element's graphics, already in the glTF's frame (Y up, offset subtracted). */
export interface MeshPart {
  /** x, y, z per vertex. */
  positions: Float32Array;
  /** x, y, z per vertex (unit length), or empty when the source had none. */
  normals: Float32Array;
  /** Three vertex indices per triangle. */
  indices: Int32Array | Uint32Array;
  /** sRGB, 0 to 255; `alpha` 255 is opaque. */
  color: { r: number; g: number; b: number; alpha: number };
  /** Seen from both sides (not back-face culled). */
  doubleSided: boolean;
}

// glTF 2.0's numbers (the specification's tables).
const GLB_MAGIC = 0x46546c67; // "glTF"
const GLB_VERSION = 2;
const CHUNK_JSON = 0x4e4f534a; // "JSON"
const CHUNK_BIN = 0x004e4942; // "BIN\0"
const FLOAT = 5126;
const UNSIGNED_SHORT = 5123;
const UNSIGNED_INT = 5125;
const ARRAY_BUFFER = 34962;
const ELEMENT_ARRAY_BUFFER = 34963;
const TRIANGLES = 4;
/** A vec3 of floats: what both vertex attributes are, so they share one bufferView of this stride. */
const VEC3_BYTES = 12;

type Json = Record<string, unknown>;

/**
 * Writes binary glTF 2.0 (a `.glb`): one node and one mesh per element, one primitive per colour of
 * it, the element's id as the node's name and in its `extras`, so that a click in any glTF viewer
 * names the element. Written as it comes, so memory holds the JSON part only: vertex data go to one
 * temporary file and indices to another, each becoming one bufferView (vertex attributes are all
 * vec3 floats, so positions and normals share a view of stride 12), and `finish` assembles the
 * header, the JSON chunk and the two as the binary chunk.
 *
 * Indices are 16-bit where a part has fewer than 65,535 vertices (glTF forbids the largest value of
 * the type, WebGL's primitive restart), 32-bit otherwise. Colours are sRGB in iTwin.js and linear in
 * glTF's `baseColorFactor`, so they are converted; transparent ones are blended. Materials are
 * plain (not metallic, fully rough): iTwin.js's colour is what the element looks like.
 */
export class GlbWriter {
  private readonly vertexFile: string;
  private readonly indexFile: string;
  private readonly vertexFd: number;
  private readonly indexFd: number;
  private vertexBytes = 0;
  private indexBytes = 0;
  private readonly accessors: Json[] = [];
  private readonly materials: Json[] = [];
  private readonly materialByKey = new Map<string, number>();
  private readonly meshes: Json[] = [];
  private readonly nodes: Json[] = [];
  triangles = 0;

  constructor(scratchPrefix: string) {
    this.vertexFile = `${scratchPrefix}.vertices`;
    this.indexFile = `${scratchPrefix}.indices`;
    this.vertexFd = fs.openSync(this.vertexFile, 'w');
    this.indexFd = fs.openSync(this.indexFile, 'w');
  }

  /** Elements written so far. */
  get elementCount(): number {
    return this.nodes.length;
  }

  /** Adds one element: a node named by its id, with a mesh of its parts (parts without triangles are left out). */
  addElement(elementId: string, parts: readonly MeshPart[]): boolean {
    const primitives: Json[] = [];
    for (const part of parts) {
      if (part.indices.length < 3 || part.positions.length < 3) continue;
      primitives.push(this.primitive(part));
    }
    if (primitives.length === 0) return false;
    this.meshes.push({ primitives });
    this.nodes.push({ mesh: this.meshes.length - 1, name: elementId, extras: { elementId } });
    return true;
  }

  private primitive(part: MeshPart): Json {
    const vertexCount = part.positions.length / 3;
    const attributes: Json = { POSITION: this.vertexAccessor(part.positions, true) };
    if (part.normals.length === part.positions.length) attributes.NORMAL = this.vertexAccessor(part.normals, false);
    this.triangles += Math.floor(part.indices.length / 3);
    return { attributes, indices: this.indexAccessor(part.indices, vertexCount), material: this.material(part), mode: TRIANGLES };
  }

  private vertexAccessor(values: Float32Array, withBounds: boolean): number {
    const accessor: Json = { bufferView: 0, byteOffset: this.vertexBytes, componentType: FLOAT, count: values.length / 3, type: 'VEC3' };
    // POSITION must say its bounds (viewers fit the view and cull with them).
    if (withBounds) Object.assign(accessor, bounds(values));
    this.vertexBytes += writeAll(this.vertexFd, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    this.accessors.push(accessor);
    return this.accessors.length - 1;
  }

  private indexAccessor(indices: Int32Array | Uint32Array, vertexCount: number): number {
    const count = indices.length - (indices.length % 3);
    const short = vertexCount < 0xffff;
    const data = short ? Uint16Array.from(indices.subarray(0, count)) : Uint32Array.from(indices.subarray(0, count));
    for (const index of data) if (index >= vertexCount) throw new Error(`A mesh refers to vertex ${index} of ${vertexCount}`);
    const accessor = { bufferView: 1, byteOffset: this.indexBytes, componentType: short ? UNSIGNED_SHORT : UNSIGNED_INT, count, type: 'SCALAR' };
    this.indexBytes += writeAll(this.indexFd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    // The next accessor may be 32-bit: every accessor starts at a multiple of its component's size.
    this.indexBytes += writeAll(this.indexFd, new Uint8Array(padding(this.indexBytes)));
    this.accessors.push(accessor);
    return this.accessors.length - 1;
  }

  private material(part: MeshPart): number {
    const { r, g, b, alpha } = part.color;
    const key = `${r},${g},${b},${alpha},${part.doubleSided}`;
    let index = this.materialByKey.get(key);
    if (index === undefined) {
      const hex = [r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('');
      const material: Json = {
        name: alpha === 255 ? `#${hex}` : `#${hex} ${Math.round((alpha / 255) * 100)}%`,
        pbrMetallicRoughness: { baseColorFactor: [linear(r), linear(g), linear(b), round(alpha / 255)], metallicFactor: 0, roughnessFactor: 1 },
      };
      if (alpha < 255) material.alphaMode = 'BLEND';
      if (part.doubleSided) material.doubleSided = true;
      this.materials.push(material);
      index = this.materials.length - 1;
      this.materialByKey.set(key, index);
    }
    return index;
  }

  /** Writes the `.glb` at `target` (whole: the caller renames it into place) and removes the temporary files. Its size in bytes. */
  finish(target: string, assetExtras: Json): number {
    fs.closeSync(this.vertexFd);
    fs.closeSync(this.indexFd);
    const binLength = this.vertexBytes + this.indexBytes;
    const gltf: Json = { asset: { version: '2.0', generator: 'twinsync', extras: assetExtras }, scene: 0 };
    if (this.nodes.length === 0) {
      // Nothing to draw: a valid file with an empty scene (glTF arrays, when present, must not be empty).
      gltf.scenes = [{}];
    } else {
      gltf.scenes = [{ nodes: this.nodes.map((_, i) => i) }];
      gltf.nodes = this.nodes;
      gltf.meshes = this.meshes;
      gltf.materials = this.materials;
      gltf.accessors = this.accessors;
      gltf.bufferViews = [
        { buffer: 0, byteOffset: 0, byteLength: this.vertexBytes, byteStride: VEC3_BYTES, target: ARRAY_BUFFER },
        { buffer: 0, byteOffset: this.vertexBytes, byteLength: this.indexBytes, target: ELEMENT_ARRAY_BUFFER },
      ];
      gltf.buffers = [{ byteLength: binLength }];
    }
    const json = Buffer.from(JSON.stringify(gltf), 'utf8');
    const jsonPadded = Buffer.concat([json, Buffer.alloc(padding(json.length), 0x20)]);
    const binPadded = binLength === 0 ? 0 : binLength + padding(binLength);
    const total = 12 + 8 + jsonPadded.length + (binPadded === 0 ? 0 : 8 + binPadded);
    const fd = fs.openSync(target, 'w');
    try {
      const header = Buffer.alloc(20);
      header.writeUInt32LE(GLB_MAGIC, 0);
      header.writeUInt32LE(GLB_VERSION, 4);
      header.writeUInt32LE(total, 8);
      header.writeUInt32LE(jsonPadded.length, 12);
      header.writeUInt32LE(CHUNK_JSON, 16);
      writeAll(fd, header);
      writeAll(fd, jsonPadded);
      if (binPadded > 0) {
        const chunk = Buffer.alloc(8);
        chunk.writeUInt32LE(binPadded, 0);
        chunk.writeUInt32LE(CHUNK_BIN, 4);
        writeAll(fd, chunk);
        appendFile(fd, this.vertexFile);
        appendFile(fd, this.indexFile);
        writeAll(fd, new Uint8Array(binPadded - binLength));
      }
    } finally {
      fs.closeSync(fd);
      this.removeScratch();
    }
    return total;
  }

  /** Removes the temporary files (after a failure; `finish` removes them itself). */
  abort(): void {
    for (const fd of [this.vertexFd, this.indexFd]) {
      try {
        fs.closeSync(fd);
      } catch {
        // closed already
      }
    }
    this.removeScratch();
  }

  private removeScratch(): void {
    fs.rmSync(this.vertexFile, { force: true });
    fs.rmSync(this.indexFile, { force: true });
  }
}

function writeAll(fd: number, bytes: Uint8Array): number {
  let written = 0;
  while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
  return bytes.length;
}

function appendFile(fd: number, file: string): void {
  const source = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    for (;;) {
      const read = fs.readSync(source, chunk, 0, chunk.length, null);
      if (read === 0) break;
      writeAll(fd, chunk.subarray(0, read));
    }
  } finally {
    fs.closeSync(source);
  }
}

/** Bytes to add after `length` to reach a multiple of 4 (glTF aligns chunks and accessors to 4). */
function padding(length: number): number {
  return (4 - (length % 4)) % 4;
}

function bounds(values: Float32Array): { min: number[]; max: number[] } {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < values.length; i += 3) {
    for (let axis = 0; axis < 3; axis++) {
      const v = values[i + axis]!;
      if (v < min[axis]!) min[axis] = v;
      if (v > max[axis]!) max[axis] = v;
    }
  }
  // Exactly the float32 values stored: a viewer compares them with the data.
  return { min, max };
}

/** An sRGB byte as glTF's linear factor. */
function linear(srgb: number): number {
  const c = srgb / 255;
  return round(c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
