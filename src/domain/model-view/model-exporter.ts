/**
 * What exports a checkpoint for a web page to show (src/model-view/model-exporter.ts: iTwin.js in a
 * child process with a time limit), wired in by the composition root. The domain asks for an
 * export the first time a version's model is asked for, and keeps what it made in the blob store.
 */
export interface ModelExporter {
  /** Why models cannot be exported here (iTwin.js is not installed), or undefined when they can. */
  unavailable(): string | undefined;
  /**
   * Exports the Snapshot iModel `checkpointFile` into a new folder of this machine holding the files
   * of MODEL_VIEW_FILES (model.ts); throws when it could not. The caller stores them, then disposes
   * of the folder.
   */
  export(request: { checkpointFile: string; iModelId: string; changesetIndex: number }): Promise<ExportedFolder>;
}

export interface ExportedFolder {
  dir: string;
  /** Removes the folder. */
  dispose(): Promise<void>;
}
