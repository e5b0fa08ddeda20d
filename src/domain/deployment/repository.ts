import type { OAuthClient, SecretOutcome } from './model.js';

/**
 * What every process of a deployment must share besides its data: named secrets (the built-in
 * issuer's key, the keys of upload URLs and consent tickets) and the built-in issuer's OAuth
 * clients. Implemented in src/store/repositories/deployment.ts, so sharing the database is enough.
 */
export interface DeploymentRepository {
  findSecret(name: string): Promise<string | undefined>;
  /**
   * The secret `name`: `candidate` is stored if the deployment has none, otherwise the one it has is
   * returned. Processes that start together each offer their own candidate and all get one value.
   */
  secretOrInsert(name: string, candidate: string, now: string): Promise<SecretOutcome>;
  /** Every client, ordered by creation (then id): the first is the default one. */
  listClients(): Promise<OAuthClient[]>;
  findClient(clientId: string): Promise<OAuthClient | undefined>;
  /** Adds `client` unless a client with its id exists; false then, and nothing changes. */
  insertClient(client: OAuthClient, now: string): Promise<boolean>;
  /** False when there was no such client. */
  deleteClient(clientId: string): Promise<boolean>;
}
