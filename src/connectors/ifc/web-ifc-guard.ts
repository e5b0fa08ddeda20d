/**
 * web-ifc with failures that read. Its WebAssembly build throws C++ exceptions as
 * `WebAssembly.Exception` objects with no message at all (a task once ended with details
 * "[object WebAssembly.Exception]", after three pointless retries), and its JavaScript glue throws
 * TypeErrors on input it does not expect. Every method of the IfcAPI is wrapped so that what it
 * throws becomes an error that says which call failed and near which entity, and is classified:
 *
 * - the file's fault (the same file fails the same way every time): NotAnIfcFile, not retried;
 * - out of memory, or web-ifc failing to start: a plain Error, retried (another attempt, perhaps on
 *   a less busy machine, may succeed);
 * - thrown by our own callbacks (StreamAllMeshes'): passed through untouched.
 */
import * as WebIFC from 'web-ifc';
import { describeThrown, NotAnIfcFile } from './conversion-errors.js';

/** A started web-ifc, its console logging off (the converter's stderr is the task's error detail). */
export async function startWebIfc(): Promise<WebIFC.IfcAPI> {
  const api = new WebIFC.IfcAPI();
  guard(api);
  await api.Init();
  api.SetLogLevel(WebIFC.LogLevel.LOG_LEVEL_OFF);
  return api;
}

/** The IfcAPI methods that take (modelID, expressID): their failures name the entity. */
const BY_EXPRESS_ID = new Set(['GetLine', 'GetLineType', 'GetGeometry', 'GetFlatMesh', 'GetRawLineData', 'FlattenLine']);

function guard(api: WebIFC.IfcAPI): void {
  /** The entity web-ifc was last working on, as far as we can tell from outside. */
  let near: number | undefined;
  /** Errors our callbacks threw: web-ifc only carries them through. */
  const ours = new WeakSet<object>();
  const target = api as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(WebIFC.IfcAPI.prototype)) {
    const method = target[name];
    if (name === 'constructor' || typeof method !== 'function') continue;
    target[name] = function guarded(this: unknown, ...args: unknown[]) {
      if (BY_EXPRESS_ID.has(name) && typeof args[1] === 'number') near = args[1];
      const passed = args.map((arg) => (typeof arg === 'function' ? tracked(arg as (...a: unknown[]) => unknown) : arg));
      try {
        const result = (method as (...a: unknown[]) => unknown).apply(this, passed);
        if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(readable(error, name)));
        return result;
      } catch (error) {
        throw readable(error, name);
      }
    };
  }

  /** A callback whose argument's expressID (a streamed mesh's) is remembered, and whose errors are known as ours. */
  function tracked(callback: (...a: unknown[]) => unknown) {
    return (...args: unknown[]) => {
      const id = (args[0] as { expressID?: unknown } | null)?.expressID;
      if (typeof id === 'number') near = id;
      try {
        return callback(...args);
      } catch (error) {
        if (error !== null && typeof error === 'object') ours.add(error);
        throw error;
      }
    };
  }

  function readable(error: unknown, method: string): unknown {
    if (error instanceof NotAnIfcFile || (error !== null && typeof error === 'object' && ours.has(error))) return error;
    const what = describeThrown(error);
    if (method === 'Init') return new Error(`web-ifc could not start: ${what}`);
    if (isOutOfMemory(error)) return new Error(`web-ifc ran out of memory in ${method}${near === undefined ? '' : ` near entity #${near}`}: ${what}`);
    const where = near === undefined ? '' : ` near entity #${near}`;
    return new NotAnIfcFile(`web-ifc could not read the file: ${method} failed${where} with ${what}`);
  }
}

function isOutOfMemory(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /\bOOM\b|out of memory|Cannot enlarge memory|Array buffer allocation failed|allocation failed/i.test(message);
}
