/** Builds dist/ from src/ unless it is up to date (or always, with `force`); true when it built. */
export function build(options?: { force?: boolean }): Promise<boolean>;

/** esbuild's options for bundling one of the programs (externals, format, target), output and entry apart. */
export function bundleOptions(): Record<string, unknown>;
