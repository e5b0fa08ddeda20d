/**
 * One task of the builtin IFC connector's converter, from the command connector's TWINSYNC_*
 * variables (the new version: TWINSYNC_BASE_CHECKPOINT, TWINSYNC_CHECKPOINT_FILE,
 * TWINSYNC_CHANGESET_ID/INDEX, TWINSYNC_ITWIN_ID) plus TWINSYNC_ITWIN_CACHE_DIR, and the flags
 * it honours (TWINSYNC_SETTING_CLAMP_Z_EXTENT, TWINSYNC_SETTING_IGNORE_IFC_GLOBAL_IDS). Leaves
 * `report.json` (the task's report), `synchronization-report.json` (its diagnostic report, issue by
 * issue), `conversion.json` (counts and the new file's size, for the task's details) and
 * `element-changes.json` (the elements it inserted, updated and deleted) in TWINSYNC_OUTPUT_DIR.
 *
 * TWINSYNC_ACTION `baseline` (baseline.ts) writes the empty first version instead: only the ids,
 * the target and TWINSYNC_IMODEL_NAME are read, and nothing is left in an output folder.
 *
 * Throws NotAnIfcFile when the file cannot be converted (no retry helps), anything else otherwise.
 */
import fs from 'node:fs';
import path from 'node:path';
import { toChangedElements } from '../../domain/changed-elements/model.js';
import { DIAGNOSTIC_REPORT_FILE } from '../diagnostic-report.js';
import { ELEMENT_CHANGES_FILE } from './element-changes-file.js';
import { ifcDiagnostics } from './diagnostics.js';
import { ifcSettingsOf } from './ifc-settings.js';
import { readSourceFile } from './read-source.js';
import { removeSourceFile, type WriteResult, writeSourceFile } from './sync-source-file.js';
import { Warnings } from './warnings.js';
import { type VersionFile, writeBaseline } from './write-imodel.js';

export async function convertTask(env: Readonly<Record<string, string | undefined>>): Promise<void> {
  const required = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const action = required('TWINSYNC_ACTION');
  const iModelId = required('TWINSYNC_IMODEL_ID');
  const target = required('TWINSYNC_CHECKPOINT_FILE');
  const ids = { target, iModelId, iTwinId: required('TWINSYNC_ITWIN_ID'), cacheDir: required('TWINSYNC_ITWIN_CACHE_DIR') };
  if (action === 'baseline') {
    await writeBaseline({ ...ids, name: env.TWINSYNC_IMODEL_NAME || iModelId });
    return;
  }
  const fileName = required('TWINSYNC_FILE_NAME');
  const sourceFileId = required('TWINSYNC_SOURCE_FILE_ID');
  const outputDir = required('TWINSYNC_OUTPUT_DIR');
  const index = Number(required('TWINSYNC_CHANGESET_INDEX'));
  if (!Number.isSafeInteger(index) || index < 1) throw new Error(`TWINSYNC_CHANGESET_INDEX is not a changeset index: ${env.TWINSYNC_CHANGESET_INDEX}`);
  const version: VersionFile = {
    ...ids,
    base: env.TWINSYNC_BASE_CHECKPOINT || null,
    // A first version starts from an empty iModel; its root subject has no better name at hand.
    name: env.TWINSYNC_IMODEL_NAME || iModelId,
    changeset: { id: required('TWINSYNC_CHANGESET_ID'), index },
  };

  // The configuration flags it honours (ifc-settings.ts), as the connector passed them.
  const settings = ifcSettingsOf(env);
  let result: WriteResult;
  let withoutGeometry = 0;
  let schema: string | undefined;
  let zipEntry: string | undefined;
  // The product-level warnings first, then what the file's structural check found.
  const warnings = new Warnings();
  // For the diagnostic report: the GlobalIds of the entities its warnings name by STEP id.
  const globalIds = new Map<number, string>();
  if (action === 'remove') {
    result = await removeSourceFile(version, sourceFileId, settings);
  } else {
    const fileWarnings = new Warnings();
    const source = await readSourceFile(required('TWINSYNC_INPUT_FILE'), fileWarnings);
    const { content } = source;
    zipEntry = source.zipEntry;
    for (const { expressId, globalId } of [...content.types, ...content.spatial, ...content.products]) globalIds.set(expressId, globalId);
    try {
      schema = content.schema;
      result = await writeSourceFile(version, { id: sourceFileId, fileName }, content, settings);
      withoutGeometry = result.withoutGeometry;
    } finally {
      content.close();
    }
    if (withoutGeometry > 0) {
      const products =
        withoutGeometry === 1
          ? '1 product has a representation without triangles and was'
          : `${withoutGeometry} products have a representation without triangles and were`;
      warnings.add('ProductWithoutTriangles', `${products} left out.`, result.withoutGeometryIds, withoutGeometry);
    }
    warnings.addAll(result.warnings);
    warnings.absorb(fileWarnings);
  }
  // Listed by message in the report: the products without triangles are said as before, the rest by their first few.
  const listed = warnings.list().filter((w) => w.code !== 'ProductWithoutTriangles');
  const unlisted = warnings.total - withoutGeometry - Math.min(3, listed.length);

  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const changes = `${result.inserted} inserted, ${result.updated} updated, ${result.unchanged} unchanged, ${result.deleted} deleted`;
  const text =
    action === 'remove'
      ? `Removed the ${count(result.deleted, 'element', 'elements')} '${fileName}' had brought into the iModel.`
      : `Converted '${fileName}'${zipEntry === undefined ? '' : ` ('${zipEntry}' in it)`} (${schema}): ${count(result.elements, 'element', 'elements')} in ${count(result.categories, 'category', 'categories')} (${changes})` +
        (withoutGeometry > 0
          ? `; ${count(withoutGeometry, 'product has', 'products have')} a representation without triangles and ${withoutGeometry === 1 ? 'was' : 'were'} left out`
          : '') +
        (listed.length > 0
          ? `; ${listed
              .slice(0, 3)
              .map((w) => w.message)
              .join(' ')}${unlisted > 0 ? ` (and ${unlisted} more)` : ''}`
          : '');
  // One full stop at the end, whether or not the last warning brought its own.
  const message = text.endsWith('.') ? text : `${text}.`;
  const report = {
    synchronizationReport: {
      suggestedAction: warnings.total > 0 ? 'Warning' : 'None',
      message,
      totalErrorsCount: 0,
      totalWarningsCount: warnings.total,
      totalOtherIssuesCount: 0,
    },
    // The changeset's description: what the version changed, element by element.
    summary:
      action === 'remove'
        ? `Removed '${fileName}': 0 elements inserted, 0 updated, ${result.deleted} deleted.`
        : `Synchronized '${fileName}' (${schema}): ${count(result.inserted, 'element', 'elements')} inserted, ${result.updated} updated, ${result.deleted} deleted, ${result.unchanged} unchanged.`,
  };
  fs.writeFileSync(path.join(outputDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  const diagnostics = ifcDiagnostics({ fileName, summary: message, warnings: warnings.list(), unlisted: warnings.unlisted, globalIds });
  fs.writeFileSync(path.join(outputDir, DIAGNOSTIC_REPORT_FILE), `${JSON.stringify(diagnostics)}\n`);
  const conversion = {
    emulated: false,
    converter: 'web-ifc + iTwin.js',
    ...(schema && { schema }),
    ...(zipEntry !== undefined && { zipEntry }),
    ...result,
    changes: undefined,
    withoutGeometry: undefined,
    withoutGeometryIds: undefined,
    // The task's details stay small: a file with thousands of problems is summed up by the count
    // (the report's totalWarningsCount); at most 100 warnings of at most 20 entities each.
    warnings: warnings.list(),
    productsWithoutGeometry: withoutGeometry,
    checkpoint: { size: fs.statSync(target).size },
  };
  fs.writeFileSync(path.join(outputDir, 'conversion.json'), `${JSON.stringify(conversion)}\n`);
  // The changeset's element changes, as the Changed Elements API's parallel arrays (docs/changed-elements.md).
  fs.writeFileSync(path.join(outputDir, ELEMENT_CHANGES_FILE), `${JSON.stringify(toChangedElements(result.changes.list()))}\n`);
}
