/**
 * The messages between the builtin IFC connector (converter-pool.ts, in the worker's process) and a
 * warm converter process (warm-program.ts), over Node's IPC channel. Types only: the worker must not
 * load what the converter loads.
 */

/** To the converter: convert one task (its TWINSYNC_* variables), or end (IModelHost shut down first). */
export type ToConverter = { type: 'task'; id: number; env: Record<string, string> } | { type: 'exit' };

/**
 * From the converter: `ready` once iTwin.js and web-ifc are loaded; `done` after each task, with the
 * exit code the one-task program would have ended with (0 done, 2 cannot convert, 1 anything else),
 * the error's message (also written to stderr), and its resident memory after the task.
 */
export type FromConverter = { type: 'ready' } | { type: 'done'; id: number; exitCode: number; message?: string; rssBytes: number };
