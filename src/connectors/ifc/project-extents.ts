import type { IModelDb } from '@itwin/core-backend';

/** Mount Everest's height in metres: the bound `clampZExtent` puts on the project extents' Z. */
export const CLAMP_Z_METRES = 8849;

/**
 * Sets the project extents to what all elements of all source files occupy (iTwin.js's
 * computation, which leaves out elements it finds statistically far from the rest), and keeps
 * them when no element has geometry. With `clampZ` (the iModel flag `clampZExtent`), their Z is
 * limited to ±8,849 m of the iModel's origin: no built thing stands that far above or below the
 * model's reference height, so what lies beyond is stray geometry that would otherwise stretch a
 * viewer's fit-to-view box. Only the extents change: no element is moved or dropped.
 *
 * The limit needs an XY range to limit (elements with geometry) and must leave some of the model
 * inside: when every element lies beyond ±8,849 m, the extents are left as computed and the
 * returned message says why.
 */
export function updateProjectExtents(db: IModelDb, clampZ: boolean): string | undefined {
  const { extents } = db.computeProjectExtents();
  if (extents.isNull) return undefined;
  let message: string | undefined;
  if (clampZ && (extents.low.z < -CLAMP_Z_METRES || extents.high.z > CLAMP_Z_METRES)) {
    const low = Math.max(extents.low.z, -CLAMP_Z_METRES);
    const high = Math.min(extents.high.z, CLAMP_Z_METRES);
    if (low <= high) {
      extents.low.z = low;
      extents.high.z = high;
    } else {
      message = `clampZExtent is set, but no element lies within ${CLAMP_Z_METRES} m of the iModel's origin in Z (the elements span Z ${round(extents.low.z)} to ${round(extents.high.z)} m): the project extents are left as computed.`;
    }
  }
  // Written only when they change: an unchanged re-synchronization leaves the iModel's properties as they were.
  if (!extents.isAlmostEqual(db.projectExtents)) db.updateProjectExtents(extents);
  return message;
}

function round(metres: number): string {
  return metres.toFixed(1);
}
