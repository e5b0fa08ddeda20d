import type { Member } from '../../domain/members/model.js';

export function memberUrl(publicUrl: string, iTwinId: string, userId: string): string {
  return `${publicUrl}/accesscontrol/itwins/${iTwinId}/members/${encodeURIComponent(userId)}`;
}

export function presentMember(m: Member) {
  return { id: m.userId, userId: m.userId, createdDateTime: m.createdAt };
}
