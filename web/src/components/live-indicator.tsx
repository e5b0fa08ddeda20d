import { Badge } from '@itwin/itwinui-react';
import type { LiveMode } from '../api/events';

const TEXT: Record<LiveMode, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  polling: 'Refreshing every 3 s',
  ended: 'Final',
};

/** Says whether what the screen shows follows the service live, by polling, or is final. */
export function LiveIndicator({ mode }: { mode: LiveMode }) {
  return (
    <span role="status" aria-live="polite" data-live={mode}>
      <Badge backgroundColor={mode === 'live' ? 'positive' : mode === 'polling' ? 'warning' : undefined}>{TEXT[mode]}</Badge>
    </span>
  );
}
