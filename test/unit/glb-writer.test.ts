import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { GlbWriter, type MeshPart } from '../../src/model-view/glb-writer.js';
import { readGlb } from '../helpers/glb.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-glb-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A triangle fan of `vertices` points on a circle (n − 2 triangles). */
function fan(vertices: number, color: MeshPart['color'] = { r: 255, g: 255, b: 255, alpha: 255 }): MeshPart {
  const positions = new Float32Array(vertices * 3);
  const normals = new Float32Array(vertices * 3);
  for (let i = 0; i < vertices; i++) {
    positions[i * 3] = Math.cos((2 * Math.PI * i) / vertices);
    positions[i * 3 + 2] = Math.sin((2 * Math.PI * i) / vertices);
    normals[i * 3 + 1] = 1;
  }
  const indices = new Int32Array((vertices - 2) * 3);
  for (let t = 0; t < vertices - 2; t++) indices.set([0, t + 1, t + 2], t * 3);
  return { positions, normals, indices, color, doubleSided: false };
}

function write(elements: [string, MeshPart[]][]): { bytes: Buffer; size: number } {
  const file = path.join(dir, `${Math.random()}.glb`);
  const writer = new GlbWriter(file);
  for (const [id, parts] of elements) writer.addElement(id, parts);
  const size = writer.finish(file, { offset: [1, 2, 3] });
  const bytes = fs.readFileSync(file);
  assert.deepEqual(
    fs.readdirSync(dir).filter((n) => n.startsWith(path.basename(file)) && n !== path.basename(file)),
    [],
    'no temporary file left',
  );
  return { bytes, size };
}

describe('GlbWriter', () => {
  it('writes nothing to draw as a valid file with an empty scene', () => {
    const { bytes, size } = write([]);
    assert.equal(size, bytes.length);
    const { gltf, elementIds } = readGlb(bytes);
    assert.deepEqual(elementIds, []);
    assert.deepEqual(gltf.scenes, [{}]);
    assert.equal(gltf.buffers, undefined);
    assert.deepEqual(gltf.asset.extras, { offset: [1, 2, 3] });
  });

  it('one node per element, one primitive per part; 16-bit indices below 65,535 vertices, 32-bit from there, each aligned', () => {
    const { bytes } = write([
      ['0x1', [fan(5), fan(4, { r: 255, g: 0, b: 0, alpha: 255 })]],
      ['0x2', [fan(70_000)]],
      ['0x3', [fan(3)]],
      ['0x4', []],
    ]);
    const { gltf, elementIds, triangles } = readGlb(bytes);
    assert.deepEqual(elementIds, ['0x1', '0x2', '0x3'], 'an element without triangles gets no node');
    assert.equal(triangles, 3 + 2 + 69_998 + 1);
    assert.equal(gltf.meshes![0]!.primitives.length, 2);
    const indexTypes = gltf.meshes!.map((m) => gltf.accessors![m.primitives[0]!.indices!]!.componentType);
    assert.deepEqual(indexTypes, [5123, 5125, 5123]);
  });

  it('colours: sRGB bytes as linear factors, transparency blended, one material per colour', () => {
    const { bytes } = write([
      ['0x1', [fan(3, { r: 255, g: 128, b: 0, alpha: 255 })]],
      ['0x2', [fan(3, { r: 255, g: 128, b: 0, alpha: 255 })]],
      ['0x3', [fan(3, { r: 0, g: 0, b: 255, alpha: 64 })]],
    ]);
    const { gltf } = readGlb(bytes);
    assert.equal(gltf.materials!.length, 2);
    const [orange, glass] = gltf.materials!;
    assert.deepEqual(orange!.pbrMetallicRoughness!.baseColorFactor, [1, 0.215861, 0, 1]);
    assert.equal(orange!.alphaMode, undefined);
    assert.equal(glass!.alphaMode, 'BLEND');
    assert.equal(glass!.pbrMetallicRoughness!.baseColorFactor![3], 0.25098);
  });

  it('refuses a mesh whose indices name a vertex it does not have', () => {
    const writer = new GlbWriter(path.join(dir, 'bad'));
    const part = fan(3);
    part.indices = new Int32Array([0, 1, 3]);
    assert.throws(() => writer.addElement('0x1', [part]), /vertex 3 of 3/);
    writer.abort();
  });
});
