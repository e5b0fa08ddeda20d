import type { Repositories } from '../store.js';
import type { Group, GroupUser } from './model.js';

/** A group with its users and their addresses. */
export interface GroupView {
  group: Group;
  users: GroupUser[];
}

/** Groups with their users: two reads, whatever the number of groups. */
export async function groupViews(repos: Pick<Repositories, 'groups' | 'users'>, groups: Group[]): Promise<GroupView[]> {
  const subjects = await repos.groups.usersOf(groups.map((g) => g.id));
  const all = [...new Set([...subjects.values()].flat())];
  const emails = new Map((await repos.users.findMany(all)).map((u) => [u.subject, u.email]));
  return groups.map((group) => ({ group, users: (subjects.get(group.id) ?? []).map((subject) => ({ subject, email: emails.get(subject) ?? null })) }));
}
