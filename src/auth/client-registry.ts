import fs from 'node:fs';
import path from 'node:path';
import { CLIENTS_FILE, loadClients, parseClients, writeClients, type OAuthClient } from './clients.js';

/** How often the file is stat'ed in case a change notification was missed (network file systems, some containers). */
export const CLIENTS_POLL_MS = 1000;

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * The built-in issuer's OAuth clients as DATA_DIR/clients.json says now. `watch()` follows the file:
 * fs.watch on DATA_DIR (the file is replaced by a rename, which a watch on the file itself would
 * lose) and, as a fallback, a stat every CLIENTS_POLL_MS. Every process on the DATA_DIR watches it,
 * so a client removed with `npm run clients -- remove` (or by hand) is gone everywhere within about
 * a second, and the verifier refuses its tokens from then on.
 *
 * A file that does not parse (an edit in progress) keeps the previous clients, with a warning.
 */
export class ClientRegistry {
  private clients: readonly OAuthClient[];
  private byId: Map<string, OAuthClient>;
  private lastText: string | undefined;
  private lastStat = '';

  private constructor(
    readonly dataDir: string,
    clients: OAuthClient[],
  ) {
    this.clients = Object.freeze(clients);
    this.byId = new Map(clients.map((c) => [c.clientId, c]));
    this.lastStat = this.statKey();
    try {
      this.lastText = fs.readFileSync(this.file, 'utf8');
    } catch {
      this.lastText = undefined;
    }
  }

  /** Reads DATA_DIR/clients.json, creating it with a default client on first start. */
  static load(dataDir: string): ClientRegistry {
    return new ClientRegistry(dataDir, loadClients(dataDir));
  }

  get file(): string {
    return path.join(this.dataDir, CLIENTS_FILE);
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

  /** Adds a client to the file and to this registry at once (the CLI, and tests that mint tokens). */
  add(client: OAuthClient): void {
    this.reload();
    if (this.byId.has(client.clientId)) throw new Error(`client "${client.clientId}" already exists`);
    this.replace([...this.clients, client]);
  }

  /** Removes a client from the file and from this registry at once; false if there was none. */
  remove(clientId: string): boolean {
    this.reload();
    if (!this.byId.has(clientId)) return false;
    this.replace(this.clients.filter((c) => c.clientId !== clientId));
    return true;
  }

  /**
   * Reads the file again if it changed (`force`: even if its stat looks the same). Returns whether
   * the clients changed. Throws nothing: a missing file means no clients; an unreadable one keeps the last.
   */
  reload(log?: Log, force = false): boolean {
    const stat = this.statKey();
    if (!force && stat === this.lastStat) return false;
    this.lastStat = stat;
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        log?.warn({ file: this.file, err: error }, 'OAuth clients not reloaded: the file cannot be read; keeping the previous ones');
        return false;
      }
      text = '[]';
    }
    if (text === this.lastText) return false;
    let clients: OAuthClient[];
    try {
      clients = parseClients(JSON.parse(text), this.file);
    } catch (error) {
      log?.warn({ file: this.file, reason: (error as Error).message }, 'OAuth clients not reloaded: the file is not valid; keeping the previous ones');
      return false;
    }
    const before = new Set(this.byId.keys());
    this.set(clients, text);
    const removed = [...before].filter((id) => !this.byId.has(id));
    const added = clients.map((c) => c.clientId).filter((id) => !before.has(id));
    log?.info({ added, removed, clients: clients.length }, 'OAuth clients reloaded');
    return true;
  }

  /** Follows the file until the returned function is called. */
  watch(log?: Log): () => void {
    let watcher: fs.FSWatcher | undefined;
    try {
      watcher = fs.watch(this.dataDir, { persistent: false }, (_event, name) => {
        if (name === null || name === CLIENTS_FILE) this.reload(log, true);
      });
      // A DATA_DIR removed under a running server: the periodic stat still follows the file.
      watcher.on('error', () => watcher?.close());
    } catch {
      watcher = undefined;
    }
    const timer = setInterval(() => this.reload(log), CLIENTS_POLL_MS);
    timer.unref();
    return () => {
      clearInterval(timer);
      watcher?.close();
    };
  }

  private replace(clients: OAuthClient[]): void {
    writeClients(this.dataDir, clients);
    this.lastStat = this.statKey();
    this.set(clients, fs.readFileSync(this.file, 'utf8'));
  }

  private set(clients: OAuthClient[], text: string | undefined): void {
    this.clients = Object.freeze(clients);
    this.byId = new Map(clients.map((c) => [c.clientId, c]));
    this.lastText = text;
  }

  /** Inode, size and modification time: a rename changes the inode, an edit in place the rest. */
  private statKey(): string {
    try {
      const s = fs.statSync(this.file);
      return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
    } catch {
      return 'missing';
    }
  }
}
