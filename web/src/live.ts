import { useEffect, useRef, useState } from 'react';
import { followEvents, type LiveMode } from './api/events';
import type { StateChange } from './api/types';
import { useDebounced } from './use-resource';

/**
 * Follows a server-sent event stream while the screen shows (api/events.ts): `refresh` is called
 * after each burst of state changes (at most every 300 ms) and at each poll when the stream cannot
 * be had. `path` undefined follows nothing.
 */
export function useLive(path: string | undefined, refresh: (change?: StateChange) => void, options: { endsWhenDone?: boolean } = {}): LiveMode {
  const [mode, setMode] = useState<LiveMode>('connecting');
  const latest = useRef(refresh);
  latest.current = refresh;
  const debounced = useDebounced(() => latest.current(), 300);
  const endsWhenDone = options.endsWhenDone ?? false;
  useEffect(() => {
    if (!path) return;
    return followEvents(path, {
      onChange: (change) => {
        latest.current(change);
        debounced();
      },
      onPoll: () => latest.current(),
      onMode: (next) => {
        setMode(next);
        // The stream's end: one last read shows the final state with all its details.
        if (next === 'ended') latest.current();
      },
      endsWhenDone,
    });
  }, [path, debounced, endsWhenDone]);
  return mode;
}
