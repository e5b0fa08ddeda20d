/**
 * The reading side of `npm run bench -- --scale`: single GETs timed one after another (the cost of
 * one page, not a throughput). The creates go through autocannon, as in `npm run bench`.
 */
export interface Api {
  base: string;
  token: string;
}

/** One GET, timed; the parsed body is returned for its links. */
export async function timedGet(api: Api, url: string): Promise<{ ms: number; body: { _links?: { next?: { href: string } }; connections?: unknown[] } }> {
  const started = performance.now();
  const res = await fetch(url.startsWith('http') ? url : `${api.base}${url}`, { headers: { authorization: `Bearer ${api.token}` } });
  const body = (await res.json()) as never;
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(body)}`);
  return { ms, body };
}

/** Follows `_links.next` from `first` to the end: each page's URL and time, and the items seen. */
export async function walk(api: Api, first: string, publicUrl: string): Promise<{ urls: string[]; ms: number[]; items: number }> {
  const urls: string[] = [];
  const ms: number[] = [];
  let items = 0;
  let url: string | undefined = first;
  while (url) {
    const page = await timedGet(api, url);
    urls.push(url);
    ms.push(page.ms);
    items += page.body.connections?.length ?? 0;
    url = page.body._links?.next?.href.replace(publicUrl, api.base);
  }
  return { urls, ms, items };
}

/**
 * The median time of the pages of `a` and of `b`, requested in turns (a, b, b, a, …) `times` times
 * each, so that load from outside falls on both alike.
 */
export async function inTurns(api: Api, a: readonly string[], b: readonly string[], times: number): Promise<[number, number]> {
  const ms: [number[], number[]] = [[], []];
  for (let i = 0; i < times; i++) {
    // Each first every other time: neither gains from following the other.
    for (const side of i % 2 ? [1, 0] : [0, 1]) {
      const urls = side === 0 ? a : b;
      ms[side]!.push((await timedGet(api, urls[i % urls.length]!)).ms);
    }
  }
  return [median(ms[0]), median(ms[1])];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
