/**
 * The builtin IFC connector's converter, run as a program of its own for each task (see
 * builtin-ifc.ts): parsing and writing happen in native code (web-ifc, iTwin.js) that must neither
 * block the API's event loop nor take the server down if it crashes. Reads the command connector's
 * TWINSYNC_* environment plus TWINSYNC_IMODELS_DIR; leaves `report.json` (the task's report) and
 * `conversion.json` (counts for the task's details) in its working directory, the task's output
 * folder. Exit 0: done; 2: the file cannot be converted (no retry helps); 1: anything else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { imodelFileIn } from '../../domain/imodels/imodel-file.js';
import { CANNOT_CONVERT_EXIT_CODE } from './exit-codes.js';
import { NotAnIfcFile, readIfc } from './read-ifc.js';
import { removeSourceFile, writeSourceFile, type WriteResult } from './write-imodel.js';

async function main(): Promise<void> {
  const env = process.env;
  const required = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const action = required('TWINSYNC_ACTION');
  const fileName = required('TWINSYNC_FILE_NAME');
  const sourceFileId = required('TWINSYNC_SOURCE_FILE_ID');
  const imodelFile = imodelFileIn(required('TWINSYNC_IMODELS_DIR'), required('TWINSYNC_IMODEL_ID'));
  const outputDir = required('TWINSYNC_OUTPUT_DIR');

  let result: WriteResult;
  let warnings = 0;
  let schema: string | undefined;
  if (action === 'remove') {
    result = await removeSourceFile(imodelFile, sourceFileId);
  } else {
    const content = await readIfc(new Uint8Array(fs.readFileSync(required('TWINSYNC_INPUT_FILE'))));
    schema = content.schema;
    warnings = content.withoutGeometry;
    result = await writeSourceFile(imodelFile, sourceFileId, content);
  }

  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const message =
    action === 'remove'
      ? `Removed the ${count(result.replaced, 'element', 'elements')} '${fileName}' had brought into the iModel.`
      : `Converted '${fileName}' (${schema}): ${count(result.elements, 'element', 'elements')} in ${count(result.categories, 'category', 'categories')}` +
        (result.replaced > 0 ? `, replacing the ${result.replaced} of its previous synchronization` : '') +
        (warnings > 0
          ? `; ${count(warnings, 'product has', 'products have')} a representation without triangles and ${warnings === 1 ? 'was' : 'were'} left out`
          : '') +
        '.';
  const report = {
    synchronizationReport: {
      suggestedAction: warnings > 0 ? 'Warning' : 'None',
      message,
      totalErrorsCount: 0,
      totalWarningsCount: warnings,
      totalOtherIssuesCount: 0,
    },
    summary: message,
  };
  fs.writeFileSync(path.join(outputDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  const conversion = { emulated: false, converter: 'web-ifc + iTwin.js', ...(schema && { schema }), ...result, productsWithoutGeometry: warnings };
  fs.writeFileSync(path.join(outputDir, 'conversion.json'), `${JSON.stringify(conversion)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof NotAnIfcFile ? CANNOT_CONVERT_EXIT_CODE : 1);
  },
);
