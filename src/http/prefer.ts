/** `Prefer: return=representation` asks for whole objects in lists; `return=minimal` is the default. */
export function wantsRepresentation(header: string | string[] | undefined): boolean {
  const values = Array.isArray(header) ? header.join(',') : (header ?? '');
  return values
    .split(/[,;]/)
    .map((p) =>
      p
        .trim()
        .toLowerCase()
        .replace(/\s*=\s*/, '='),
    )
    .includes('return=representation');
}
