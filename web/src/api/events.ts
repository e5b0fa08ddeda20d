import { accessToken, apiUrl } from './client';
import type { StateChange } from './types';

export type LiveMode = 'connecting' | 'live' | 'polling' | 'ended';

export interface Follow {
  /** Each state change the stream tells. */
  onChange: (change: StateChange) => void;
  /** Called instead of a stream, every `pollMs`, while the stream cannot be had. */
  onPoll: () => void;
  /** How the page is following: shown to the user, who should know whether what they see is live. */
  onMode: (mode: LiveMode) => void;
  /** Whether a stream that ended is over for good (the run stream ends after the run's Completed). */
  endsWhenDone?: boolean;
  pollMs?: number;
}

/**
 * Follows one of the service's server-sent event streams (docs/webhooks.md). EventSource cannot send
 * an Authorization header, so the stream is read with fetch and parsed here (`event:`, `data:`,
 * blank line). A stream that ends is opened again with a fresh token (the service ends streams at
 * the token's expiry and at its shutdown); one that cannot be opened (429 TooManyEventStreams, an
 * older browser, a proxy that buffers) falls back to polling and tries the stream again now and then.
 * Returns the function that stops following.
 */
export function followEvents(path: string, follow: Follow): () => void {
  const stop = new AbortController();
  const pollMs = follow.pollMs ?? 3000;
  void (async () => {
    let failures = 0;
    while (!stop.signal.aborted) {
      follow.onMode(failures === 0 ? 'connecting' : 'polling');
      const outcome = await readStream(path, follow, stop.signal).catch(() => 'failed' as const);
      if (stop.signal.aborted) return;
      if (outcome === 'ended' && follow.endsWhenDone) {
        follow.onMode('ended');
        return;
      }
      if (outcome === 'ended') {
        // Ended by the service (the token's expiry, a shutdown): open it again, without hammering.
        failures = 0;
        await sleep(1000, stop.signal);
        continue;
      }
      // Failed: poll for a while, then try the stream again (longer each time, at most a minute).
      failures++;
      follow.onMode('polling');
      const until = Date.now() + Math.min(60_000, 5_000 * 2 ** Math.min(failures - 1, 4));
      while (!stop.signal.aborted && Date.now() < until) {
        follow.onPoll();
        await sleep(pollMs, stop.signal);
      }
    }
  })();
  return () => stop.abort();
}

async function readStream(path: string, follow: Follow, signal: AbortSignal): Promise<'ended' | 'failed'> {
  const response = await fetch(await apiUrl(path), {
    headers: { authorization: `Bearer ${await accessToken()}`, accept: 'text/event-stream' },
    signal,
    cache: 'no-store',
  });
  if (!response.ok || !response.body || !/text\/event-stream/.test(response.headers.get('content-type') ?? '')) {
    await response.body?.cancel().catch(() => {});
    return 'failed';
  }
  follow.onMode('live');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return 'ended';
    buffer += value;
    let boundary = buffer.search(/\r?\n\r?\n/);
    while (boundary >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary).replace(/^\r?\n\r?\n/, '');
      const data = block
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (data) {
        try {
          follow.onChange(JSON.parse(data) as StateChange);
        } catch {
          // A line that is not JSON is no state change; the next poll or event corrects the view.
        }
      }
      boundary = buffer.search(/\r?\n\r?\n/);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
