import type { DeploymentRepository } from '../domain/deployment/repository.js';
import type { OAuthClient } from './clients.js';

/** How often every process reads the clients again: a client removed anywhere is refused everywhere within it. */
export const CLIENTS_POLL_MS = 1000;
/**
 * At most one extra read per this interval for client ids this process does not know: a client
 * added on another process is found at once, and unknown ids cannot turn every request into a read.
 */
export const UNKNOWN_CLIENT_READ_MS = 200;

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * The built-in issuer's OAuth clients as the deployment's store holds them, shared by all its API
 * processes. Each process keeps a copy, answers from it without a query, and follows the store:
 * `watch()` reads the clients again every CLIENTS_POLL_MS (one small query), and `lookup()` reads
 * them at once when it meets an id it does not know (at most once per UNKNOWN_CLIENT_READ_MS).
 * So a client added with `npm run clients -- add` on any machine can get tokens from every process
 * right away, and a removed one's tokens stop working everywhere within about a second.
 */
export class ClientRegistry {
  private clients: readonly OAuthClient[] = Object.freeze([]);
  private byId = new Map<string, OAuthClient>();
  private reading: Promise<boolean> | undefined;
  private lastUnknownRead = Number.NEGATIVE_INFINITY;

  private constructor(
    private readonly repo: DeploymentRepository,
    private readonly now: () => number,
  ) {}

  static async load(repo: DeploymentRepository, now: () => number = Date.now): Promise<ClientRegistry> {
    const registry = new ClientRegistry(repo, now);
    await registry.refresh();
    return registry;
  }

  list(): readonly OAuthClient[] {
    return this.clients;
  }

  find(clientId: string): OAuthClient | undefined {
    return this.byId.get(clientId);
  }

  has(clientId: string): boolean {
    return this.byId.has(clientId);
  }

  /**
   * The client `clientId`, read from the store first when this process does not know it (it may
   * have been added by another process since the last read), unless such a read was made less than
   * UNKNOWN_CLIENT_READ_MS ago.
   */
  async lookup(clientId: string): Promise<OAuthClient | undefined> {
    const known = this.byId.get(clientId);
    if (known) return known;
    if (!this.reading) {
      if (this.now() - this.lastUnknownRead < UNKNOWN_CLIENT_READ_MS) return undefined;
      this.lastUnknownRead = this.now();
    }
    await this.refresh();
    return this.byId.get(clientId);
  }

  /** Adds a client to the store and to this registry at once (the CLI, and tests that mint tokens). */
  async add(client: OAuthClient): Promise<void> {
    if (!(await this.repo.insertClient(client, new Date(this.now()).toISOString()))) throw new Error(`client "${client.clientId}" already exists`);
    await this.refresh();
  }

  /** Removes a client from the store and from this registry at once; false if there was none. */
  async remove(clientId: string): Promise<boolean> {
    const removed = await this.repo.deleteClient(clientId);
    await this.refresh();
    return removed;
  }

  /**
   * Reads the clients again; whether they changed. Callers at the same moment share one read. A
   * failed read (store unreachable) throws and keeps the previous clients.
   */
  refresh(log?: Log): Promise<boolean> {
    this.reading ??= this.read(log).finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  /** Follows the store until the returned function is called. */
  watch(log?: Log): () => void {
    const timer = setInterval(() => {
      this.refresh(log).catch((error: unknown) => log?.warn({ err: error }, 'OAuth clients not reloaded: the store did not answer; keeping the previous ones'));
    }, CLIENTS_POLL_MS);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async read(log?: Log): Promise<boolean> {
    const clients = await this.repo.listClients();
    if (JSON.stringify(clients) === JSON.stringify(this.clients)) return false;
    const before = new Set(this.byId.keys());
    this.clients = Object.freeze(clients);
    this.byId = new Map(clients.map((c) => [c.clientId, c]));
    const removed = [...before].filter((id) => !this.byId.has(id));
    const added = clients.map((c) => c.clientId).filter((id) => !before.has(id));
    log?.info({ added, removed, clients: clients.length }, 'OAuth clients reloaded');
    return true;
  }
}
