/**
 * How the converter's failures are told apart and put in words. NotAnIfcFile: the file cannot be
 * converted, however often it is tried; the converter exits with CANNOT_CONVERT_EXIT_CODE and the
 * task fails without retries. Its message is shown to the user (the task error's details), so it
 * says what is wrong and where.
 */
export class NotAnIfcFile extends Error {}

/** Node's WebAssembly classes (not in the ES library's types). */
const wasm = (
  globalThis as { WebAssembly?: { Exception?: abstract new (...args: never[]) => object; RuntimeError?: abstract new (...args: never[]) => Error } }
).WebAssembly;

/** A C++ exception thrown out of WebAssembly code (web-ifc's): an object with no message. */
export function isWasmException(error: unknown): boolean {
  return typeof wasm?.Exception === 'function' && error instanceof wasm.Exception;
}

/** Words for anything thrown, never "[object …]". */
export function describeThrown(error: unknown): string {
  if (isWasmException(error)) return 'an internal error (a C++ exception web-ifc gives no message for): the file holds something it cannot handle';
  if (typeof wasm?.RuntimeError === 'function' && error instanceof wasm.RuntimeError) return `a WebAssembly runtime error (${error.message})`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'string') return error;
  if (typeof error === 'number') return `error code ${error}`;
  try {
    const json = JSON.stringify(error);
    if (json && json !== '{}') return `an unexpected value thrown (${json.slice(0, 200)})`;
  } catch {
    // not serializable either
  }
  return `an unexpected ${Object.prototype.toString.call(error).slice(8, -1)} thrown`;
}

/**
 * How a task's failure is reported: its message (the task error's details, never "[object …]"),
 * and whether the file is at fault (no retry helps). A web-ifc exception that got past
 * web-ifc-guard.ts (thrown from a mesh or geometry object) is the file's too.
 */
export function failureOf(error: unknown): { message: string; fileAtFault: boolean } {
  return {
    message: error instanceof Error && error.message ? error.message : describeThrown(error),
    fileAtFault: error instanceof NotAnIfcFile || isWasmException(error),
  };
}
