import type { Page } from '../paging.js';
import type { StorageConnection } from '../storage-connections/model.js';
import type { Manifest, ManifestSourceFile, ManifestSourceFileMapping } from './model.js';

/**
 * Persistence of what only manifest connections have, in domain terms (implemented in
 * src/store/repositories/manifest-connections.ts): their source files and the manifests of their
 * runs. The connection itself is read, listed, updated and deleted through ConnectionRepository
 * (its `kind` is `manifest`).
 */
export interface ManifestConnectionRepository {
  /**
   * Stores the connection with its source files. 'fileMapped' when one of them is already a source
   * file of the iModel; 'iModelGone' when the iModel was deleted meanwhile (nothing written; inside a
   * transaction, end it).
   */
  create(connection: StorageConnection, sourceFiles: readonly ManifestSourceFileMapping[]): Promise<'created' | 'fileMapped' | 'iModelGone'>;
  findSourceFile(connectionId: string, id: string): Promise<ManifestSourceFile | undefined>;
  /** Oldest first (then in the order they were given), one beyond the page. */
  listSourceFiles(connectionId: string, page: Page): Promise<ManifestSourceFile[]>;
  /** Of `sourceFileIds`, those that are source files of the connection. */
  registered(connectionId: string, sourceFileIds: readonly string[]): Promise<Set<string>>;
  /** False when the id is already a source file of the iModel (nothing written; inside a transaction, end it). */
  addSourceFile(sourceFile: ManifestSourceFileMapping): Promise<boolean>;
  /** False as addSourceFile. */
  updateSourceFile(connectionId: string, id: string, sourceFileId: string): Promise<boolean>;
  /** False when there is no such source file in the connection. */
  removeSourceFile(connectionId: string, id: string): Promise<boolean>;
  /** Keeps the manifest a run was requested with; it goes with the run. */
  saveManifest(runId: string, manifest: Manifest): Promise<void>;
  manifestOf(runId: string): Promise<Manifest | undefined>;
}
