import assert from 'node:assert/strict';

interface Accessor {
  bufferView: number;
  byteOffset?: number;
  componentType: number;
  count: number;
  type: string;
  min?: number[];
  max?: number[];
}
interface BufferView {
  buffer: number;
  byteOffset?: number;
  byteLength: number;
  byteStride?: number;
}
interface Primitive {
  attributes: Record<string, number>;
  indices?: number;
  material?: number;
}
export interface Gltf {
  asset: { version: string; extras?: Record<string, unknown> };
  scenes?: { nodes?: number[] }[];
  nodes?: { mesh?: number; name?: string; extras?: { elementId?: string } }[];
  meshes?: { primitives: Primitive[] }[];
  materials?: { pbrMetallicRoughness?: { baseColorFactor?: number[] }; alphaMode?: string }[];
  accessors?: Accessor[];
  bufferViews?: BufferView[];
  buffers?: { byteLength: number; uri?: string }[];
}

const COMPONENT_BYTES: Record<number, number> = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 };
const COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4 };

/**
 * Reads a .glb as glTF 2.0 says it is laid out, checking it on the way (any failure is an assert):
 * the 12-byte header, a JSON chunk then a BIN chunk, each 4-byte aligned; every bufferView inside
 * the buffer, the buffer inside the BIN chunk, every accessor inside its view and aligned; POSITION
 * bounds equal to the data; every index below its primitive's vertex count; every node named by
 * the element id in its extras. Returns the JSON, the element ids of the nodes and the bounds of
 * all positions.
 */
export function readGlb(bytes: Buffer): { gltf: Gltf; elementIds: string[]; bounds: { min: number[]; max: number[] }; triangles: number } {
  assert.ok(bytes.length >= 20, 'a .glb has a header and a chunk');
  assert.equal(bytes.readUInt32LE(0), 0x46546c67, 'magic "glTF"');
  assert.equal(bytes.readUInt32LE(4), 2, 'version 2');
  assert.equal(bytes.readUInt32LE(8), bytes.length, 'the header gives the file’s length');
  const jsonLength = bytes.readUInt32LE(12);
  assert.equal(bytes.readUInt32LE(16), 0x4e4f534a, 'the first chunk is JSON');
  assert.equal(jsonLength % 4, 0, 'chunks are 4-byte aligned');
  const gltf = JSON.parse(bytes.subarray(20, 20 + jsonLength).toString('utf8')) as Gltf;
  assert.equal(gltf.asset.version, '2.0');
  let bin: Buffer = Buffer.alloc(0);
  const binAt = 20 + jsonLength;
  if (binAt < bytes.length) {
    const binLength = bytes.readUInt32LE(binAt);
    assert.equal(bytes.readUInt32LE(binAt + 4), 0x004e4942, 'the second chunk is BIN');
    assert.equal(binLength % 4, 0);
    assert.equal(binAt + 8 + binLength, bytes.length, 'nothing after the BIN chunk');
    bin = bytes.subarray(binAt + 8, binAt + 8 + binLength);
  }
  const buffers = gltf.buffers ?? [];
  if (buffers.length > 0) {
    assert.equal(buffers.length, 1);
    assert.equal(buffers[0]!.uri, undefined, 'the buffer is the BIN chunk');
    assert.ok(buffers[0]!.byteLength <= bin.length, 'the buffer fits in the BIN chunk');
  }
  for (const view of gltf.bufferViews ?? []) {
    assert.ok((view.byteOffset ?? 0) + view.byteLength <= buffers[view.buffer]!.byteLength, 'bufferView inside its buffer');
  }
  const read = (index: number): { values: number[]; accessor: Accessor } => {
    const accessor = gltf.accessors![index]!;
    const view = gltf.bufferViews![accessor.bufferView]!;
    const size = COMPONENT_BYTES[accessor.componentType]!;
    const components = COMPONENTS[accessor.type]!;
    const stride = view.byteStride ?? size * components;
    const start = accessor.byteOffset ?? 0;
    assert.equal(start % size, 0, 'accessor aligned to its component');
    assert.ok(start + stride * (accessor.count - 1) + size * components <= view.byteLength, 'accessor inside its bufferView');
    const values: number[] = [];
    for (let i = 0; i < accessor.count; i++) {
      for (let c = 0; c < components; c++) {
        const at = (view.byteOffset ?? 0) + start + i * stride + c * size;
        values.push(
          accessor.componentType === 5126
            ? bin.readFloatLE(at)
            : accessor.componentType === 5125
              ? bin.readUInt32LE(at)
              : accessor.componentType === 5123
                ? bin.readUInt16LE(at)
                : bin.readUInt8(at),
        );
      }
    }
    return { values, accessor };
  };
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  let triangles = 0;
  const elementIds: string[] = [];
  for (const node of gltf.nodes ?? []) {
    assert.ok(node.extras?.elementId, 'every node carries its element id');
    assert.equal(node.name, node.extras.elementId);
    elementIds.push(node.extras.elementId);
    for (const primitive of gltf.meshes![node.mesh!]!.primitives) {
      const positions = read(primitive.attributes.POSITION!);
      for (let axis = 0; axis < 3; axis++) {
        const axisValues = positions.values.filter((_, i) => i % 3 === axis);
        assert.equal(Math.min(...axisValues), positions.accessor.min![axis], 'POSITION min is the data’s');
        assert.equal(Math.max(...axisValues), positions.accessor.max![axis], 'POSITION max is the data’s');
        min[axis] = Math.min(min[axis]!, ...axisValues);
        max[axis] = Math.max(max[axis]!, ...axisValues);
      }
      if (primitive.attributes.NORMAL !== undefined) assert.equal(read(primitive.attributes.NORMAL).accessor.count, positions.accessor.count);
      const indices = read(primitive.indices!);
      assert.equal(indices.values.length % 3, 0, 'triangles');
      assert.ok(
        indices.values.every((v) => v < positions.accessor.count),
        'every index names a vertex',
      );
      triangles += indices.values.length / 3;
      assert.ok(gltf.materials![primitive.material!], 'its material exists');
    }
  }
  return { gltf, elementIds, bounds: { min, max }, triangles };
}
