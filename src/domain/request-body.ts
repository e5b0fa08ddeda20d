/**
 * What the HTTP layer hands the domain for a JSON body: the parsed value, `undefined` when no body
 * was sent, or a MalformedBody when it could not be read as JSON. Operations answer each of these
 * with their own error codes (the API answers malformed JSON with a 422 detail, not a 400).
 */
export class MalformedBody {
  constructor(readonly reason: string) {}
}

/** Property lookup that ignores case, as the cloud's model binding does (`imodelId` = `iModelId`). */
export function property(object: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const wanted = name.toLowerCase();
  for (const key of Object.keys(object)) if (key.toLowerCase() === wanted) return object[key];
  return undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
