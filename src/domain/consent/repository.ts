/** Persistence of consents and of used consent tickets, in domain terms (implemented in src/store/repositories/consents.ts). */
export interface ConsentRepository {
  /** Whether `subject` has consented to synchronization running on their behalf. */
  hasConsented(subject: string): Promise<boolean>;
  /** Records consent; consenting again only moves the time of the grant to the latest one. */
  grant(subject: string, grantedAt: string): Promise<void>;
  /**
   * Marks a ticket used (kept until `expiresAt`; uses of tickets expired by `now` are forgotten on
   * the way). False when it was used before: nothing changes.
   */
  useTicket(ticketId: string, expiresAt: string, now: string): Promise<boolean>;
  ticketUsed(ticketId: string): Promise<boolean>;
}
