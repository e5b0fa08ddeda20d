import { to } from './router';

/** Storage and manifest connections: their screens live under different segments, as their API paths do. */
export type ConnectionKind = 'storage' | 'manifest';

export const connectionSegment = (kind: ConnectionKind) => (kind === 'manifest' ? 'manifest-connections' : 'connections');

/**
 * The page's screen of the run an API URL names. A run request may answer 303 with the iModel's
 * active run, which can be the other kind of connection's (they share the one-active-run rule,
 * docs/manifest-connections.md), so the kind is read from the URL rather than assumed.
 */
export function runScreenOf(iTwinId: string, iModelId: string, runUrl: string): string | undefined {
  const match = /\/synchronization\/imodels\/(storageconnections|manifestconnections)\/([^/?#]+)\/runs\/([^/?#]+)/i.exec(runUrl);
  if (!match) return undefined;
  const kind: ConnectionKind = match[1]!.toLowerCase() === 'manifestconnections' ? 'manifest' : 'storage';
  return to('itwins', iTwinId, 'imodels', iModelId, connectionSegment(kind), decodeURIComponent(match[2]!), 'runs', decodeURIComponent(match[3]!));
}
