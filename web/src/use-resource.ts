import { useCallback, useEffect, useRef, useState } from 'react';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Reads again; what is shown stays until the new answer replaces it (no flicker on live updates). */
  reload: () => void;
}

/** Something read from the service, read again when `key` changes or on `reload()`. */
export function useResource<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean; key: string }>({ loading: true, key });
  const [generation, setGeneration] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    const abort = new AbortController();
    setState((previous) => (previous.key === key ? { ...previous, loading: true } : { loading: true, key }));
    loader.current(abort.signal).then(
      (data) => !abort.signal.aborted && setState({ data, loading: false, key }),
      (error: unknown) => !abort.signal.aborted && setState((previous) => ({ ...previous, error, loading: false, key })),
    );
    return () => abort.abort();
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const same = state.key === key;
  return { data: same ? state.data : undefined, error: same ? state.error : undefined, loading: !same || state.loading, reload };
}

/** `fn` at most once per `ms`, the last call winning: many events in a burst make one read. */
export function useDebounced(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => latest.current(), ms);
  }, [ms]);
}
