import type { ExportGraphicsInfo, IModelDb } from '@itwin/core-backend';
import type { GlbWriter, MeshPart } from './glb-writer.js';

/** Elements given to iTwin.js per call: each call's meshes are written before the next is asked for. */
const BATCH = 500;

/**
 * Meshes every element with iTwin.js (`IModelDb.exportGraphics`: triangles, normals, the colour and
 * transparency of each of its parts; geometry parts are expanded into the elements that place
 * them) and writes them to `writer`, element after element in the order given. Coordinates turn
 * from the iModel's (metres, Z up, anywhere on the earth) into glTF's (metres, Y up, +Z towards
 * the viewer) around `offset`: (x, y, z) → (x − ox, z − oz, −(y − oy)), a rotation, so triangles
 * keep their winding. Subtracting the offset (the project extents' centre) first keeps the float32
 * positions glTF stores precise to well under a millimetre: a coordinate of 500 km has only
 * 3 cm steps in float32.
 *
 * Line graphics (iTwin.js's `onLineGraphics`) and textures are not exported. Returns the ids of the
 * elements that had triangles.
 */
export function exportGraphics(db: IModelDb, elementIds: readonly string[], offset: readonly [number, number, number], writer: GlbWriter): string[] {
  const exported: string[] = [];
  for (let start = 0; start < elementIds.length; start += BATCH) {
    const batch = elementIds.slice(start, start + BATCH);
    const parts = new Map<string, MeshPart[]>();
    const status = db.exportGraphics({
      elementIdArray: batch,
      onGraphics: (info) => {
        let list = parts.get(info.elementId);
        if (!list) parts.set(info.elementId, (list = []));
        list.push(meshPart(info, offset));
      },
    });
    if (status !== 0) throw new Error(`iTwin.js could not export the graphics of elements ${batch[0]} to ${batch.at(-1)} (status ${status})`);
    for (const id of batch) {
      const list = parts.get(id);
      if (list && writer.addElement(id, list)) exported.push(id);
    }
  }
  return exported;
}

function meshPart(info: ExportGraphicsInfo, [ox, oy, oz]: readonly [number, number, number]): MeshPart {
  const { points, normals, indices, isTwoSided } = info.mesh;
  const positions = new Float32Array(points.length);
  for (let i = 0; i < points.length; i += 3) {
    positions[i] = points[i]! - ox;
    positions[i + 1] = points[i + 2]! - oz;
    positions[i + 2] = -(points[i + 1]! - oy);
  }
  const turned = new Float32Array(normals.length);
  for (let i = 0; i < normals.length; i += 3) {
    turned[i] = normals[i]!;
    turned[i + 1] = normals[i + 2]!;
    turned[i + 2] = -normals[i + 1]!;
  }
  // iTwin.js's colour is 0xTTBBGGRR: red in the lowest byte, transparency (0 opaque) in the highest.
  const tbgr = Number(info.color) >>> 0;
  const color = { r: tbgr & 0xff, g: (tbgr >>> 8) & 0xff, b: (tbgr >>> 16) & 0xff, alpha: 255 - ((tbgr >>> 24) & 0xff) };
  return { positions, normals: turned, indices, color, doubleSided: isTwoSided };
}
