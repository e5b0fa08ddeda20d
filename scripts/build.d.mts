/**
 * Builds dist/ from src/ and dist/web/ from web/, each unless it is up to date (or always, with
 * `force`); `web: false` leaves the page out. True when it built anything.
 */
export function build(options?: { force?: boolean; web?: boolean }): Promise<boolean>;

/** esbuild's options for bundling one of the programs (externals, format, target), output and entry apart. */
export function bundleOptions(): Record<string, unknown>;
