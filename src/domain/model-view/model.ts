/**
 * The model of a version as a web page shows it (docs/model-view.md): its graphics as binary glTF,
 * the elements in them, their categories, each element's properties, and what changed since an
 * earlier version. Everything but the changes is exported once per checkpoint by iTwin.js in a
 * child process (src/model-view/) and kept in the blob store; these are the shapes both sides agree on.
 */

/** An element of the export, as the list answers it: enough to name it, find it and group it. */
export interface ModelElement {
  /** Id64, hexadecimal (`0x20000000004`): the `extras.elementId` of its glTF node. */
  id: string;
  /** Its EC class, `Schema:Class` (`TwinsyncIfcDynamic:IfcWall`). */
  className: string;
  /** Its user label (the IFC Name), null when it has none. */
  label: string | null;
  /** Its code's value, null when it has none. */
  code: string | null;
  /** The IFC GlobalId: its `GlobalId` property, or else its provenance identifier when that is one. */
  globalId: string | null;
  federationGuid: string | null;
  /** Its identifier in its source (the ExternalSourceAspect's): a GlobalId, or `path:…` (docs/connectors.md). */
  externalId: string | null;
  category: { id: string; name: string };
  model: { id: string; name: string };
  /** Its parent element (an aggregate), null when it has none. */
  parentId: string | null;
}

/** A spatial category of the export's elements, for hiding them by category. */
export interface ModelCategory {
  id: string;
  /** Its code (the IFC connector names its categories after IFC classes: `IfcWall`). */
  name: string;
  /** Its user label, null when it has none. */
  label: string | null;
  /** How many elements of the export are in it. */
  elementCount: number;
  /** True for the category of spaces (rooms), which a viewer hides by default. */
  spaces: boolean;
}

/** One property of an element (or of its type or an aspect), labelled and grouped as iTwin.js's property grid groups it. */
export interface ElementProperty {
  /** Its property category's label (an IFC property set, `Pset_WallCommon`), or else its class's. */
  group: string;
  /** The EC property's name (`Pset_WallCommon__FireRating`). */
  name: string;
  /** Its display label (the IFC property's name, `FireRating`). */
  label: string;
  /** As iTwin.js reads it: text, number, boolean, an array or an object (points); a navigation property as the target's label. */
  value: unknown;
  /** The unit of a measured value (SI, `m`, `W/(m²·ΔK)`), absent for others. */
  unit?: string;
  /** A navigation property's target element. */
  elementId?: string;
}

/** Properties of an element from a class of its own (an aspect, its type). */
export interface PropertyHolder {
  id: string;
  className: string;
  label: string | null;
  properties: ElementProperty[];
}

/** One element in full, as the details answer it. */
export interface ElementDetails extends ModelElement {
  /** Its class's display label (`IfcWall`), null when the class has none. */
  classLabel: string | null;
  /** The properties of its classes outside BisCore (BisCore's own are the fields above). */
  properties: ElementProperty[];
  /** Its aspects outside BisCore (the IFC connector's materials and classifications). */
  aspects: PropertyHolder[];
  /** Its type (IfcWallType …) with the type's properties, null when it has none. */
  type: PropertyHolder | null;
}

/**
 * What the export says about itself (the last file written: its presence in the blob store means
 * the export is whole). `offset` is what was subtracted from every coordinate (docs/model-view.md).
 */
export interface ExportSummary {
  format: number;
  iModelId: string;
  changesetIndex: number;
  /** The project extents' centre, in the iModel's coordinates (metres, Z up). */
  offset: [number, number, number];
  elements: number;
  meshes: number;
  triangles: number;
  graphicsBytes: number;
  exportMs: number;
}

/** The files of one export, as the export program writes them into its folder and the blob store keeps them. */
export const MODEL_VIEW_FILES = {
  graphics: 'graphics.glb',
  /** `{"offset": [x, y, z], "elements": [ModelElement…]}` */
  elements: 'elements.json',
  /** `{"categories": [ModelCategory…]}` */
  categories: 'categories.json',
  /** One line per element, `{"element": ElementDetails}\n`, in the elements' order. */
  details: 'details.jsonl',
  /** `{"<elementId>": [offset, length], …}`: where each element's line is in `details`. */
  detailsIndex: 'details-index.json',
  summary: 'summary.json',
} as const;

/**
 * The version of what the export writes: part of every key, so that a twinsync that exports
 * differently never serves what an older one cached (the older files go with the checkpoint).
 */
export const MODEL_VIEW_FORMAT = 1;

/** Everything exported from one checkpoint, of every format (what pruning the checkpoint removes). */
export function modelViewPrefix(iModelId: string, changesetIndex: number): string {
  return `imodels/${iModelId}/model-view/${changesetIndex}/`;
}

/** The blob of one exported file. Under the iModel's prefix: deleting the iModel deletes it. */
export function modelViewKey(iModelId: string, changesetIndex: number, file: string): string {
  return `${modelViewPrefix(iModelId, changesetIndex)}v${MODEL_VIEW_FORMAT}/${file}`;
}
