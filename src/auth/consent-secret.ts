import { CONSENT_TICKET_TTL_SECONDS, ConsentTickets } from '../domain/consent/consent-ticket.js';
import type { DeploymentRepository } from '../domain/deployment/repository.js';
import { loadDeploymentSecrets } from './deployment-secrets.js';

/**
 * The consent tickets of a deployment, signed with its `consent-ticket-secret` (in the store, made on
 * first start), so every process of the deployment verifies the others' tickets.
 */
export async function loadConsentTickets(repo: DeploymentRepository, dataDir: string, ttlSeconds = CONSENT_TICKET_TTL_SECONDS): Promise<ConsentTickets> {
  const { consentTickets } = await loadDeploymentSecrets(repo, dataDir);
  return ConsentTickets.fromSecret(consentTickets, ttlSeconds);
}
