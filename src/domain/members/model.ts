import type { ITwinMemberRow } from '../../store/schema.js';

/** A member of an iTwin: a user (or service principal) named by the `sub` of its tokens. */
export interface Member {
  iTwinId: string;
  userId: string;
  createdAt: string;
}

export function memberFromRow(row: ITwinMemberRow): Member {
  return { iTwinId: row.itwin_id, userId: row.subject, createdAt: row.created_at };
}
