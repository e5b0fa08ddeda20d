import fs from 'node:fs';
import path from 'node:path';
import { IModelHost, PhysicalModel, PhysicalPartition, SettingsPriority, SpatialCategory, StandaloneDb, type IModelDb } from '@itwin/core-backend';
import { Id64, OpenMode, type Id64String } from '@itwin/core-bentley';
import { Code, ColorDef, GeometryParams, GeometryStreamBuilder, IModel, type PhysicalElementProps } from '@itwin/core-common';
import { IndexedPolyface, Point3d } from '@itwin/core-geometry';
import type { IfcContent, IfcMesh } from './read-ifc.js';

export interface WriteResult {
  elements: number;
  categories: number;
  /** Elements of this source file that the write replaced (0 on a first synchronization). */
  replaced: number;
}

/**
 * The iModel is a standalone iTwin.js briefcase, `<imodelsDir>/<iModelId>.bim`. Each source file owns
 * one physical model (its partition's code is the source file id): synchronizing a file replaces that
 * model's content, removing a file deletes the model. Both happen in one transaction of the .bim
 * (saveChanges), so a converter killed half-way leaves the iModel as it was, and doing the same task
 * again gives the same content: what exactly-once execution (worker/execute-task.ts) needs.
 */
export async function writeSourceFile(imodelFile: string, sourceFileId: string, content: IfcContent): Promise<WriteResult> {
  return withIModel(imodelFile, (db) => {
    const replaced = deleteSourceFileModel(db, sourceFileId);
    const modelId = PhysicalModel.insert(db, IModel.rootSubjectId, sourceFileId);
    const categories = new Map<string, Id64String>();
    let elements = 0;
    for (const product of content.products) {
      let category = categories.get(product.ifcClass);
      if (!category) {
        category =
          SpatialCategory.queryCategoryIdByName(db, IModel.dictionaryId, product.ifcClass) ??
          SpatialCategory.insert(db, IModel.dictionaryId, product.ifcClass, {});
        categories.set(product.ifcClass, category);
      }
      const builder = new GeometryStreamBuilder();
      for (const mesh of product.meshes) {
        const params = new GeometryParams(category);
        params.lineColor = params.fillColor = colorOf(mesh);
        builder.appendGeometryParamsChange(params);
        builder.appendGeometry(polyfaceOf(mesh));
      }
      const props: PhysicalElementProps = {
        classFullName: 'Generic:PhysicalObject',
        model: modelId,
        category,
        code: Code.createEmpty(),
        userLabel: product.name ?? undefined,
        placement: { origin: Point3d.createZero(), angles: {} },
        geom: builder.geometryStream,
        jsonProperties: {
          ifc: {
            globalId: product.globalId,
            class: product.ifcClass,
            expressId: product.expressId,
            ...(product.container && { container: product.container }),
            ...(Object.keys(product.properties).length > 0 && { properties: product.properties }),
          },
        },
      };
      db.elements.insertElement(props);
      elements++;
    }
    updateProjectExtents(db);
    return { elements, categories: categories.size, replaced };
  });
}

/** Takes out what a source file brought in; nothing to do when it never brought anything. */
export async function removeSourceFile(imodelFile: string, sourceFileId: string): Promise<WriteResult> {
  if (!fs.existsSync(imodelFile)) return { elements: 0, categories: 0, replaced: 0 };
  return withIModel(imodelFile, (db) => {
    const replaced = deleteSourceFileModel(db, sourceFileId);
    updateProjectExtents(db);
    return { elements: 0, categories: 0, replaced };
  });
}

/** The project extents: what all elements of all source files occupy (kept when none is left). */
function updateProjectExtents(db: IModelDb): void {
  const { extents } = db.computeProjectExtents();
  if (!extents.isNull) db.updateProjectExtents(extents);
}

async function withIModel(imodelFile: string, work: (db: IModelDb) => WriteResult): Promise<WriteResult> {
  await startIModelHost(path.join(path.dirname(imodelFile), '.cache'));
  try {
    fs.mkdirSync(path.dirname(imodelFile), { recursive: true });
    const db = fs.existsSync(imodelFile)
      ? StandaloneDb.openFile(imodelFile, OpenMode.ReadWrite)
      : StandaloneDb.createEmpty(imodelFile, { rootSubject: { name: path.basename(imodelFile, '.bim') } });
    try {
      const result = work(db);
      db.saveChanges(`twinsync: ${result.elements} elements`);
      return result;
    } catch (error) {
      db.abandonChanges();
      throw error;
    } finally {
      db.close();
    }
  } finally {
    await IModelHost.shutdown();
  }
}

/** Starts iTwin.js for working on local files only (end with IModelHost.shutdown()). */
export async function startIModelHost(cacheDir: string): Promise<void> {
  await IModelHost.startup({ cacheDir });
  // Opening an iModel otherwise loads geographic coordinate data from Bentley's cloud: no network
  // here, and each attempt waited 16 s to fail. Nothing here converts coordinates.
  IModelHost.appWorkspace.settings.addDictionary({ name: 'twinsync', priority: SettingsPriority.application }, { 'itwin/core/gcs/disableWorkspaces': true });
}

/** Deletes the source file's partition, its model and the model's elements; how many elements it held. */
function deleteSourceFileModel(db: IModelDb, sourceFileId: string): number {
  const partitionId = db.elements.queryElementIdByCode(PhysicalPartition.createCode(db, IModel.rootSubjectId, sourceFileId));
  if (!partitionId || !Id64.isValidId64(partitionId)) return 0;
  const held = [...db.queryEntityIds({ from: 'BisCore.GeometricElement3d', where: `Model.Id=${partitionId}` })];
  if (held.length > 0) db.elements.deleteElement(held);
  db.models.deleteModel(partitionId);
  db.elements.deleteElement(partitionId);
  return held.length;
}

function polyfaceOf(mesh: IfcMesh): IndexedPolyface {
  const polyface = IndexedPolyface.create();
  const { points, triangles } = mesh;
  for (let i = 0; i < points.length; i += 3) polyface.addPointXYZ(points[i]!, points[i + 1]!, points[i + 2]!);
  for (let t = 0; t < triangles.length; t += 3) {
    polyface.addPointIndex(triangles[t]!);
    polyface.addPointIndex(triangles[t + 1]!);
    polyface.addPointIndex(triangles[t + 2]!);
    polyface.terminateFacet();
  }
  return polyface;
}

function colorOf(mesh: IfcMesh): ColorDef {
  const { r, g, b, a } = mesh.color;
  const byte = (v: number) => Math.max(0, Math.min(255, Math.round(v * 255)));
  return ColorDef.from(byte(r), byte(g), byte(b), 255 - byte(a));
}
