/** Builds dist/ from src/ unless it is up to date (or always, with `force`); true when it built. */
export function build(options?: { force?: boolean }): Promise<boolean>;
