import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ChannelControl, IModelHost, SettingsPriority, SnapshotDb, SQLiteDb, type IModelDb } from '@itwin/core-backend';
import { DbResult, OpenMode } from '@itwin/core-bentley';
import { BriefcaseIdValue } from '@itwin/core-common';

/**
 * One version of an iModel to write: a Snapshot iModel at `target`, made from the previous version
 * `base` (null: from an empty iModel), stamped the way iTwin.js stamps the checkpoint of a changeset.
 */
export interface VersionFile {
  base: string | null;
  target: string;
  iModelId: string;
  iTwinId: string;
  /** The root subject's name when the version starts from an empty iModel. */
  name: string;
  /** The changeset the version is the checkpoint of; null for the empty baseline (index 0). */
  changeset: { id: string; index: number } | null;
  /** Where iTwin.js keeps its cache (nothing of an iModel's content). */
  cacheDir: string;
}

/** The empty iModel every history starts from (changeset index 0): nothing but its ids. */
export async function writeBaseline(version: Omit<VersionFile, 'base' | 'changeset'>): Promise<void> {
  await writeVersion({ ...version, base: null, changeset: null }, () => undefined);
}

// iTwin.js keeps its native database handle behind a symbol it calls internal (core-backend's
// internal/Symbols.js, `_nativeDb`). Stamping a file's iModel id, iTwin id and changeset has no
// public API outside iModelHub's checkpoint download (CheckpointManager), which does exactly this
// through the same handle; Symbol.for gives us the same symbol without importing internals.
const NATIVE_DB = Symbol.for('nativeDb_core-backend_INTERNAL_ONLY_DO_NOT_USE');

/** The few native calls needed here (names as in @bentley/imodeljs-native's DgnDb). */
interface NativeDb {
  setIModelId(guid: string): number;
  setITwinId(guid: string): number;
  saveLocalValue(name: string, value: string | undefined): void;
}

function nativeDbOf(db: IModelDb): NativeDb {
  const native = (db as unknown as Record<symbol, NativeDb | undefined>)[NATIVE_DB];
  if (!native) throw new Error('iTwin.js no longer exposes its native database handle: twinsync cannot stamp the version');
  return native;
}

/**
 * iTwin.js writes iModels in WAL mode. A version is only ever read from now on, and a reader of a
 * WAL database leaves -wal and -shm files beside it (which SQLite would even apply to another file
 * renamed onto the same name later: a task done again). A rollback journal leaves nothing. The
 * journal mode can only change outside a transaction, which an open iModel always has (its default
 * transaction), so the closed file is opened as a plain SQLite database for it.
 *
 * The same goes for VACUUM, done here when a quarter of the file's pages or more are free (what
 * deleted elements leave behind): a version is a copy of the previous one, and without it files
 * would keep the space of everything ever deleted. A version that freed less is left as it is,
 * since VACUUM rewrites the whole file (a tenth of a small re-sync's time).
 */
function closeAsVersion(file: string): void {
  const sqlite = new SQLiteDb();
  sqlite.openDb(file, { openMode: OpenMode.ReadWrite, defaultTxn: SQLiteDb.DefaultTxnMode.None });
  try {
    const pragma = (name: string) =>
      sqlite.withSqliteStatement(`PRAGMA ${name}`, (stmt) => (stmt.step() === DbResult.BE_SQLITE_ROW ? stmt.getValue(0).getInteger() : 0));
    const free = pragma('freelist_count');
    if (free > 0 && free * 4 >= pragma('page_count')) {
      const vacuumed = sqlite.executeSQL('VACUUM');
      if (vacuumed !== DbResult.BE_SQLITE_DONE && vacuumed !== DbResult.BE_SQLITE_OK)
        throw new Error(`Cannot compact ${path.basename(file)} (SQLite result ${vacuumed})`);
    }
    const rc = sqlite.executeSQL('PRAGMA journal_mode=DELETE');
    if (rc !== DbResult.BE_SQLITE_ROW) throw new Error(`Cannot leave WAL mode for ${path.basename(file)} (SQLite result ${rc})`);
  } finally {
    sqlite.closeDb();
  }
}

/**
 * Set by a converter process that serves task after task (warm-program.ts): iTwin.js stays started
 * between versions (starting it costs a good part of a small task), with the process's own cache
 * folder, and is shut down when the process ends.
 */
let hostKept = false;

/** Keep iTwin.js started between versions; the caller shuts it down (IModelHost.shutdown()) at its end. */
export function keepIModelHostStarted(): void {
  hostKept = true;
}

/** The temporary file being written, if any: what removeUnfinishedFile takes away. */
let unfinished: string | undefined;

/** Removes the version being written, unfinished (for a converter stopped by SIGTERM). */
export function removeUnfinishedFile(): void {
  if (unfinished) removeTemporary(unfinished);
}

function removeTemporary(tmp: string): void {
  for (const file of [tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(file, { force: true });
}

/**
 * Every iModel file twinsync writes is a Snapshot iModel: the iTwin.js native library may be used
 * freely for those only. So a version is never an edit of a file in place: the previous version (a
 * Snapshot iModel) is copied, the copy changed, stamped, closed and renamed onto `target`. A
 * converter killed half-way leaves at most a temporary file (removed on failure, or swept with the
 * task), and doing the same task again writes the same content: what exactly-once execution
 * (worker/execute-task.ts) needs.
 *
 * `work` makes the version's changes in the open copy (sync-source-file.ts); its result is returned.
 */
export async function writeVersion<T>(version: VersionFile, work: (db: IModelDb) => T | Promise<T>): Promise<T> {
  const dir = path.dirname(version.target);
  fs.mkdirSync(dir, { recursive: true });
  // In the target's folder, so that the rename is atomic; unique, so that attempts never share one.
  const tmp = path.join(dir, `.${path.basename(version.target)}.${process.pid}-${randomUUID()}.tmp`);
  unfinished = tmp;
  if (!(hostKept && IModelHost.isValid)) await startIModelHost(version.cacheDir);
  try {
    const db = openNewVersion(version, tmp);
    try {
      const result = await work(db);
      stamp(db, version);
      db.saveChanges(version.changeset ? `twinsync: changeset ${version.changeset.index}` : 'twinsync: baseline');
      db.close();
      closeAsVersion(tmp);
      fs.renameSync(tmp, version.target);
      return result;
    } catch (error) {
      if (db.isOpen) db.close();
      throw error;
    }
  } catch (error) {
    removeTemporary(tmp);
    throw error;
  } finally {
    unfinished = undefined;
    if (!hostKept) await IModelHost.shutdown();
  }
}

/** A writable copy of the base at `tmp`, or a new empty iModel there when there is no base. */
function openNewVersion(version: VersionFile, tmp: string): SnapshotDb {
  if (version.base === null) {
    return SnapshotDb.createEmpty(tmp, { guid: version.iModelId, rootSubject: { name: version.name } });
  }
  const db = plainCopy(version.base, tmp) ?? cleanedCopy(version.base, tmp);
  // createEmpty allows writing in the shared channel; a copy leaves that to us.
  db.channels.addAllowedChannel(ChannelControl.sharedChannelName);
  return db;
}

/**
 * The base copied byte for byte and opened writable, when the base is a Snapshot iModel as
 * closeAsVersion leaves one (briefcase id 0, no local edit mode, no transactions, no log beside it):
 * a copy of it is a Snapshot iModel as it is. SnapshotDb.createFrom would copy it the same way and
 * then VACUUM the copy, rewriting every page: a tenth of a re-sync's time, for a file the previous
 * task left compact. iTwin.js's one way to open a Snapshot iModel writable is openForApplyChangesets
 * (marked internal; iModelHub's checkpoints are made so). Undefined, and nothing left at `tmp`, for
 * any other base (a version a connector program wrote itself, for one): cleanedCopy makes that one
 * a Snapshot iModel.
 */
function plainCopy(base: string, tmp: string): SnapshotDb | undefined {
  // Content still in a log beside the file (a write-ahead log, a hot rollback journal) would not be in a copy of the file alone.
  if (fs.existsSync(`${base}-wal`) || fs.existsSync(`${base}-journal`)) return undefined;
  fs.copyFileSync(base, tmp);
  const db = SnapshotDb.openForApplyChangesets(tmp);
  let plain = false;
  try {
    const none = (sql: string) => db.withSqliteStatement(sql, (stmt) => stmt.step() !== DbResult.BE_SQLITE_ROW);
    plain =
      db.getBriefcaseId() === BriefcaseIdValue.Unassigned &&
      none(`SELECT 1 FROM be_Local WHERE Name = '${STANDALONE_EDIT}'`) &&
      none('SELECT 1 FROM dgn_Txns LIMIT 1');
    return plain ? db : undefined;
  } finally {
    if (!plain) {
      db.close();
      removeTemporary(tmp);
    }
  }
}

/** The local value that makes an iModel with briefcase id 0 a standalone iModel rather than a Snapshot (iTwin.js's BriefcaseLocalValue). */
const STANDALONE_EDIT = 'StandaloneEdit';

/**
 * Any other base made a Snapshot iModel in the copy: SnapshotDb.createFrom copies it, VACUUMs it,
 * deletes its local edit mode and transactions and sets its briefcase id to 0.
 */
function cleanedCopy(base: string, tmp: string): SnapshotDb {
  const source = SnapshotDb.openFile(base);
  try {
    return SnapshotDb.createFrom(source, tmp);
  } finally {
    source.close();
  }
}

/**
 * Stamps the file as a checkpoint of its changeset: the iModel id first (createFrom gives a copy a
 * random one, and setting it, even to the id it has, clears the changeset), then the changeset.
 */
function stamp(db: IModelDb, version: VersionFile): void {
  const native = nativeDbOf(db);
  const set = (what: string, rc: number) => {
    if (rc !== DbResult.BE_SQLITE_OK) throw new Error(`Cannot stamp the ${what} into the new version (SQLite result ${rc})`);
  };
  set('iModel id', native.setIModelId(version.iModelId));
  set('iTwin id', native.setITwinId(version.iTwinId));
  if (version.changeset) {
    native.saveLocalValue('ParentChangeSetId', version.changeset.id);
    native.saveLocalValue('parentChangeSet', JSON.stringify({ id: version.changeset.id, index: version.changeset.index }));
  }
}

/** Starts iTwin.js for working on local files only (end with IModelHost.shutdown()). */
export async function startIModelHost(cacheDir: string): Promise<void> {
  await IModelHost.startup({ cacheDir });
  // Opening an iModel otherwise loads geographic coordinate data from Bentley's cloud: no network
  // here, and each attempt waited 16 s to fail. Nothing here converts coordinates.
  IModelHost.appWorkspace.settings.addDictionary({ name: 'twinsync', priority: SettingsPriority.application }, { 'itwin/core/gcs/disableWorkspaces': true });
}
