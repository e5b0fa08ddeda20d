// autocannon ships no types and @types/autocannon is not a dependency: just what bench/ uses.
// (Not named autocannon.d.ts: TypeScript would take that for the declarations of autocannon.ts.)
declare module 'autocannon' {
  interface RequestParams {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }

  interface Request extends RequestParams {
    setupRequest?: (request: RequestParams, context: object) => RequestParams;
    onResponse?: (status: number, body: string, context: object, headers: Record<string, string>) => void;
  }

  interface Options extends RequestParams {
    url: string;
    connections?: number;
    duration?: number;
    timeout?: number;
    requests?: Request[];
  }

  interface Histogram {
    average: number;
    p50: number;
    p99: number;
  }

  interface RequestsHistogram extends Histogram {
    /** Responses received. */
    total: number;
  }

  interface Result {
    latency: Histogram;
    requests: RequestsHistogram;
    /** Seconds. */
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
  }

  function autocannon(options: Options): Promise<Result>;
  namespace autocannon {
    function printResult(result: Result): string;
  }
  export default autocannon;
}
