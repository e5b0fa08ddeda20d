/**
 * File-name patterns for emulated outcomes: `*` (any run of characters), `?` (one character),
 * everything else literal. Whole-name and case-insensitive, because display names come from
 * Windows users as often as not (`*.dwg` must match `Plan.DWG`).
 */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (const char of pattern) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'isu');
}
