/**
 * How the API's port gets more than one accept per event-loop turn (listen.ts says why):
 * - `one-listener`: Node's own listener only (ACCEPT_HANDLES=1, or nothing better on this platform);
 * - `reuse-port`: several listeners bound to the port with `reusePort` (the kernel spreads new
 *   connections over them), where Node offers the option;
 * - `descriptor-copies`: copies of the one listening socket, made through a child process
 *   (descriptor-copies.ts), on Node versions without `reusePort`.
 */
export type AcceptStrategy = 'one-listener' | 'reuse-port' | 'descriptor-copies';

/**
 * Platforms whose kernel spreads a port's connections over the sockets bound with SO_REUSEPORT and
 * where Node supports the option. Elsewhere (macOS, Windows) Node refuses it or the kernel gives
 * every connection to one socket, so it would add nothing.
 */
const REUSE_PORT_PLATFORMS: ReadonlySet<string> = new Set(['linux', 'freebsd']);

/**
 * Whether `net.Server.listen` takes `reusePort`: Node 22.12 and 23.1 added it. Read from the
 * version: listen ignores options it does not know, so the option cannot be tried for.
 */
export function offersReusePort(nodeVersion: string): boolean {
  const [major = 0, minor = 0] = nodeVersion.replace(/^v/, '').split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

/** The strategy for `handles` accepts per turn on this Node (`process.versions.node`) and platform. */
export function acceptStrategy(handles: number, nodeVersion: string, platform: string): AcceptStrategy {
  if (handles <= 1) return 'one-listener';
  // Where Node has reusePort the descriptor copies are never used: no child process is forked.
  if (offersReusePort(nodeVersion)) return REUSE_PORT_PLATFORMS.has(platform) ? 'reuse-port' : 'one-listener';
  return 'descriptor-copies';
}
