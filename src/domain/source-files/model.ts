export interface SourceFile {
  id: string;
  storageFileId: string;
  connectorType: string;
  /** The storage file's display name; once the storage file is gone, the name it had then. */
  lastKnownFileName: string;
  /** Where it sorts among its connection's source files, when read from a list (its continuation). */
  position?: { createdAt: string; ordinal: number };
}

/** A source file to store: a storage file mapped into the connection's iModel (at most once per iModel). */
export interface SourceFileMapping {
  id: string;
  connectionId: string;
  iModelId: string;
  storageFileId: string;
  connectorType: string;
  createdAt: string;
  /** Its place in the request that created it: source files created together keep their order. */
  ordinal: number;
}
