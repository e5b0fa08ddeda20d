import { after, before, describe } from 'node:test';
import { createHarness, type Harness } from './harness.js';
import { clientFor, type Client } from './platform.js';
import { storeTargets } from './stores.js';

type Env = Record<string, string>;

export interface OnEveryStoreOptions {
  /**
   * The configuration of the suite's harness. A function is called in `before`, just before the
   * harness is made, so it may first start what the configuration names (a JWKS server, a program).
   */
  env?: Env | (() => Env | Promise<Env>);
}

/** What a suite body gets. Everything in it is made in `before`: use it in hooks and tests, not in the body itself. */
export interface StoreSuite {
  /** The suite's harness, on a fresh database of this store target. */
  h: Harness;
  /** A client of `h` for `subject`, made right after `h`, in the order declared. */
  client(subject: string, scopes?: string[]): Client;
  /** Another harness on the same target with its own configuration, made after `h` and closed after it. */
  harness(env: Env): Harness;
}

/**
 * One `describe(`${title} [target]`)` per store target, skipped with the target's reason when it
 * cannot run. The harnesses and clients are made in a `before` hook that runs ahead of the body's
 * own, and closed in an `after` hook that runs after the body's own (a worker stops before its store closes).
 */
export function onEveryStore(title: string, body: (suite: StoreSuite) => void): void;
export function onEveryStore(title: string, options: OnEveryStoreOptions, body: (suite: StoreSuite) => void): void;
export function onEveryStore(title: string, optionsOrBody: OnEveryStoreOptions | ((suite: StoreSuite) => void), maybeBody?: (suite: StoreSuite) => void): void {
  const [options, body] = typeof optionsOrBody === 'function' ? [{}, optionsOrBody] : [optionsOrBody, maybeBody!];
  for (const target of storeTargets) {
    describe(`${title} [${target.name}]`, { skip: target.skip }, () => {
      let main: Harness | undefined;
      const others: { env: Env; made?: Harness }[] = [];
      const clients: { subject: string; scopes?: string[]; made?: Client }[] = [];

      before(async () => {
        const env = typeof options.env === 'function' ? await options.env() : options.env;
        main = await createHarness(target, env);
        for (const client of clients) client.made = await clientFor(main, client.subject, client.scopes);
        for (const other of others) other.made = await createHarness(target, other.env);
      });

      body({
        h: harnessStandIn(() => made(main, title)),
        client(subject, scopes) {
          const client: (typeof clients)[number] = { subject, scopes };
          clients.push(client);
          return clientStandIn(() => made(client.made, title));
        },
        harness(env) {
          const other: (typeof others)[number] = { env };
          others.push(other);
          return harnessStandIn(() => made(other.made, title));
        },
      });

      after(async () => {
        await main?.close();
        for (const other of others) await other.made?.close();
      });
    });
  }
}

function made<T>(value: T | undefined, title: string): T {
  if (value === undefined) throw new Error(`${title}: harnesses and clients are made in before; use them in hooks and tests`);
  return value;
}

/** Forwards to the harness that `get` returns once it is made. */
function harnessStandIn(get: () => Harness): Harness {
  return {
    get app() {
      return get().app;
    },
    get store() {
      return get().store;
    },
    get config() {
      return get().config;
    },
    get blobs() {
      return get().blobs;
    },
    get issuer() {
      return get().issuer;
    },
    get db() {
      return get().db;
    },
    token: (...args) => get().token(...args),
    signRaw: (...args) => get().signRaw(...args),
    itwin: (...args) => get().itwin(...args),
    imodel: (...args) => get().imodel(...args),
    file: (...args) => get().file(...args),
    close: () => get().close(),
  };
}

/** Forwards to the client that `get` returns once it is made. */
function clientStandIn(get: () => Client): Client {
  return {
    get token() {
      return get().token;
    },
    request: (...args) => get().request(...args),
    get: (...args) => get().get(...args),
    post: (...args) => get().post(...args),
    patch: (...args) => get().patch(...args),
    delete: (...args) => get().delete(...args),
  };
}
