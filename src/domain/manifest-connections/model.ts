import type { ConnectorType } from '../connector-types.js';

/** A source file of a manifest connection: the id a document system gives a file (no storage file, no connector). */
export interface ManifestSourceFile {
  id: string;
  sourceFileId: string;
  /** Where it sorts among its connection's source files, when read from a list (its continuation). */
  position?: { createdAt: string; ordinal: number };
}

/** A manifest source file to store (at most once per iModel). */
export interface ManifestSourceFileMapping {
  id: string;
  connectionId: string;
  iModelId: string;
  sourceFileId: string;
  createdAt: string;
  /** Its place in the request that created it: source files created together keep their order. */
  ordinal: number;
}

/** `bridge` brings the file's content into the iModel (again); `unmap` takes out what it brought. */
export type ManifestAction = 'bridge' | 'unmap';

/** What a manifest says of a reference file of a source file (a child): it is downloaded with it. */
export interface ManifestChild {
  id: string;
  parentId: string;
  name: string;
  url: string;
  connectorType?: ConnectorType;
  relativePath?: string;
  documentAttribute?: Record<string, unknown>;
  documentMetadata?: Record<string, unknown>;
}

/** One entry of a manifest: a registered source file, where to download it, and what to do with it. */
export interface ManifestFile {
  id: string;
  name: string;
  action: ManifestAction;
  /** Given for every action; only `bridge` downloads it. */
  url: string;
  connectorType: ConnectorType;
  relativePath?: string;
  documentAttribute?: Record<string, unknown>;
  documentMetadata?: Record<string, unknown>;
  /** Reference files, downloaded with the file for `bridge`; an `unmap` downloads none. */
  children: ManifestChild[];
}

/** The body of Create ManifestConnection Run, as checked (docs/manifest-connections.md). */
export interface Manifest {
  documentAttributeSchemaUrl?: string;
  sourceFiles: ManifestFile[];
}
