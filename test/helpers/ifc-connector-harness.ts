import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BuiltinIfcConnector, builtinIfcUnavailable } from '../../src/connectors/builtin-ifc.js';
import { type BuiltinSettings, parseConnectorsConfig } from '../../src/connectors/config.js';
import type { ConnectorInput } from '../../src/connectors/connector.js';
import type { Settings } from '../../src/domain/configurations/model.js';
import { checkpointFileIn, imodelsDir } from '../../src/domain/imodels/imodel-file.js';

/** Why the builtin IFC connector's tests cannot run here (iTwin.js is an optional dependency), if they cannot. */
export const ifcUnavailable = builtinIfcUnavailable();

/**
 * One iModel synchronized by the builtin IFC connector, task after task, as a worker drives it:
 * each task starts from the latest version and writes the next.
 */
export class IfcHarness {
  private readonly connector: BuiltinIfcConnector;
  private counter = 0;
  head: { index: number; file: string | null } = { index: 0, file: null };

  constructor(
    readonly root: string,
    readonly iModelId: string,
    readonly iTwinId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    /** Another harness's connector, so that its warm converter (2 to 3 s to start) serves this iModel too. */
    sharing?: IfcHarness,
  ) {
    const settings = parseConnectorsConfig({ types: { IFC: { kind: 'builtin' } } }, 'test').types.IFC as BuiltinSettings;
    this.connector = sharing?.connector ?? new BuiltinIfcConnector(settings, root);
  }

  private changesetId(index: number): string {
    return createHash('sha1').update(`${this.iModelId} ${index}`).digest('hex');
  }

  /**
   * Synchronizes a source file's content (bytes or latin1 text), with the connection's resolved
   * configuration when given (as a worker passes it); the report and the changeset description.
   */
  async sync(sourceFileId: string, fileName: string, content: string | Buffer, settings?: Settings) {
    const n = ++this.counter;
    const filePath = path.join(this.root, `blob-${this.iModelId}-${n}`);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'latin1') : content;
    fs.writeFileSync(filePath, bytes);
    const outputDir = path.join(this.root, 'work', `task-${this.iModelId}-${n}`);
    fs.mkdirSync(outputDir, { recursive: true });
    const index = this.head.index + 1;
    const input: ConnectorInput = {
      action: 'sync',
      connectorType: 'IFC',
      iModelId: this.iModelId,
      sourceFileId,
      storageFileId: `file-${sourceFileId}`,
      fileName,
      filePath,
      size: bytes.length,
      contentHash: createHash('sha256').update(bytes).digest('hex'),
      outputDir,
      attempt: 0,
      signal: new AbortController().signal,
      changeset: { id: this.changesetId(index), index, parentId: index === 1 ? '' : this.changesetId(index - 1) },
      checkpoint: { base: this.head.file, target: checkpointFileIn(imodelsDir(this.root), this.iModelId, index), iTwinId: this.iTwinId },
      ...(settings && { settings }),
    };
    const outcome = await this.connector.run(input);
    this.head = { index, file: input.checkpoint!.target };
    const report = path.join(outputDir, 'report.json');
    return { ...outcome, summary: fs.existsSync(report) ? (JSON.parse(fs.readFileSync(report, 'utf8')).summary as string) : undefined };
  }

  /** Rows of an ECSQL query on the latest version, as arrays (opened as a Snapshot iModel). */
  query(ecsql: string): Promise<unknown[][]> {
    return this.withLatest(async (db) => {
      const reader = db.createQueryReader(ecsql);
      const rows = (await reader.toArray()) as unknown[][];
      // Rows leave out trailing empty columns; every row gets every column here, empty ones as null.
      const width = (await reader.getMetaData()).length;
      return rows.map((row) => Array.from({ length: width }, (_, i) => row[i] ?? null));
    });
  }

  /** The latest version's project extents: low and high corners, in metres. */
  projectExtents(): Promise<{ low: { x: number; y: number; z: number }; high: { x: number; y: number; z: number } }> {
    return this.withLatest((db) => {
      const { low, high } = db.projectExtents;
      return { low: { x: low.x, y: low.y, z: low.z }, high: { x: high.x, y: high.y, z: high.z } };
    });
  }

  private async withLatest<T>(read: (db: import('@itwin/core-backend').IModelDb) => T | Promise<T>): Promise<T> {
    const { IModelHost, SnapshotDb } = await import('@itwin/core-backend');
    const { startIModelHost } = await import('../../src/connectors/ifc/write-imodel.js');
    await startIModelHost(path.join(this.root, 'cache'));
    const db = SnapshotDb.openFile(this.head.file!);
    try {
      return await read(db);
    } finally {
      db.close();
      await IModelHost.shutdown();
    }
  }
}
