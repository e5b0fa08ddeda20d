import type { Group, GroupMember } from '../../domain/groups/model.js';
import type { GroupRepository } from '../../domain/groups/repository.js';
import type { Page } from '../../domain/paging.js';
import type { Permission } from '../../domain/roles/permissions.js';
import type { Kysely } from 'kysely';
import type { Scope } from '../scope.js';
import type { Database } from '../schema.js';
import { refreshPermissions } from './itwins.js';

type Db = Kysely<Database>;
type GroupRow = Database['itwin_groups'];

/** Groups over SQL; every change that can move a permission recomputes it in the same transaction. */
export class SqlGroups implements GroupRepository {
  constructor(private readonly scope: Scope) {}

  insert(group: Group): Promise<void> {
    return this.scope.write(async (db) => {
      await db.insertInto('itwin_groups').values(rowOf(group)).execute();
    });
  }

  async find(itwinId: string, groupId: string): Promise<Group | undefined> {
    const row = await this.scope.db.selectFrom('itwin_groups').selectAll().where('itwin_id', '=', itwinId).where('id', '=', groupId).executeTakeFirst();
    return row && groupFromRow(row);
  }

  async list(itwinId: string, page: Page): Promise<Group[]> {
    const rows = await this.scope.db
      .selectFrom('itwin_groups')
      .selectAll()
      .where('itwin_id', '=', itwinId)
      .orderBy('created_at')
      .orderBy('id')
      .offset(page.skip)
      .limit(page.top + 1)
      .execute();
    return rows.map(groupFromRow);
  }

  update(group: Group): Promise<void> {
    return this.scope.write(async (db) => {
      await db
        .updateTable('itwin_groups')
        .set({ name: group.name, description: group.description, ims_groups: JSON.stringify(group.imsGroups) })
        .where('id', '=', group.id)
        .execute();
    });
  }

  delete(itwinId: string, groupId: string): Promise<void> {
    return this.scope.write(async (db) => {
      const users = await subjectsIn(db, groupId);
      await db.deleteFrom('itwin_group_roles').where('group_id', '=', groupId).execute();
      await db.deleteFrom('itwin_group_members').where('group_id', '=', groupId).execute();
      await db.deleteFrom('itwin_group_users').where('group_id', '=', groupId).execute();
      await db.deleteFrom('itwin_groups').where('id', '=', groupId).execute();
      await refreshPermissions(db, itwinId, users);
    });
  }

  async usersOf(groupIds: readonly string[]): Promise<Map<string, string[]>> {
    const byGroup = new Map<string, string[]>(groupIds.map((id) => [id, []]));
    if (groupIds.length === 0) return byGroup;
    const rows = await this.scope.db.selectFrom('itwin_group_users').selectAll().where('group_id', 'in', groupIds).orderBy('subject').execute();
    for (const row of rows) byGroup.get(row.group_id)?.push(row.subject);
    return byGroup;
  }

  setUsers(itwinId: string, groupId: string, subjects: readonly string[]): Promise<void> {
    return this.scope.write(async (db) => {
      const before = await subjectsIn(db, groupId);
      await db.deleteFrom('itwin_group_users').where('group_id', '=', groupId).execute();
      const after = [...new Set(subjects)];
      if (after.length > 0)
        await db
          .insertInto('itwin_group_users')
          .values(after.map((subject) => ({ group_id: groupId, subject })))
          .execute();
      await refreshPermissions(db, itwinId, [...before, ...after]);
    });
  }

  async findMember(itwinId: string, groupId: string): Promise<GroupMember | undefined> {
    const row = await this.scope.db
      .selectFrom('itwin_group_members as gm')
      .innerJoin('itwin_groups as g', 'g.id', 'gm.group_id')
      .selectAll('g')
      .select('gm.created_at as member_since')
      .where('gm.itwin_id', '=', itwinId)
      .where('gm.group_id', '=', groupId)
      .executeTakeFirst();
    if (!row) return undefined;
    return (await this.withRoles([row]))[0];
  }

  async listMembers(itwinId: string, page: Page): Promise<GroupMember[]> {
    const rows = await this.scope.db
      .selectFrom('itwin_group_members as gm')
      .innerJoin('itwin_groups as g', 'g.id', 'gm.group_id')
      .selectAll('g')
      .select('gm.created_at as member_since')
      .where('gm.itwin_id', '=', itwinId)
      .orderBy('gm.created_at')
      .orderBy('gm.group_id')
      .offset(page.skip)
      .limit(page.top + 1)
      .execute();
    return this.withRoles(rows);
  }

  setMemberRoles(itwinId: string, groupId: string, roleIds: readonly string[], now: string): Promise<void> {
    return this.scope.write(async (db) => {
      const member = await db.selectFrom('itwin_group_members').select('group_id').where('group_id', '=', groupId).executeTakeFirst();
      if (!member) await db.insertInto('itwin_group_members').values({ group_id: groupId, itwin_id: itwinId, created_at: now }).execute();
      await db.deleteFrom('itwin_group_roles').where('group_id', '=', groupId).execute();
      const roles = [...new Set(roleIds)];
      if (roles.length > 0)
        await db
          .insertInto('itwin_group_roles')
          .values(roles.map((role_id) => ({ group_id: groupId, role_id })))
          .execute();
      await refreshPermissions(db, itwinId, await subjectsIn(db, groupId));
    });
  }

  removeMember(itwinId: string, groupId: string): Promise<boolean> {
    return this.scope.write(async (db) => {
      // Group ids are unique across iTwins: only a membership of this iTwin is touched.
      const member = await db
        .selectFrom('itwin_group_members')
        .select('group_id')
        .where('itwin_id', '=', itwinId)
        .where('group_id', '=', groupId)
        .executeTakeFirst();
      if (!member) return false;
      await db.deleteFrom('itwin_group_roles').where('group_id', '=', groupId).execute();
      await db.deleteFrom('itwin_group_members').where('group_id', '=', groupId).execute();
      await refreshPermissions(db, itwinId, await subjectsIn(db, groupId));
      return true;
    });
  }

  private async withRoles(rows: (GroupRow & { member_since: string })[]): Promise<GroupMember[]> {
    if (rows.length === 0) return [];
    const roleRows = await this.scope.db
      .selectFrom('itwin_group_roles as gr')
      .innerJoin('itwin_roles as r', 'r.id', 'gr.role_id')
      .selectAll('r')
      .select('gr.group_id')
      .where(
        'gr.group_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('r.created_at')
      .orderBy('r.id')
      .execute();
    return rows.map((row) => ({
      group: groupFromRow(row),
      createdAt: row.member_since,
      roles: roleRows
        .filter((r) => r.group_id === row.id)
        .map((r) => ({
          id: r.id,
          iTwinId: r.itwin_id,
          displayName: r.display_name,
          description: r.description,
          permissions: JSON.parse(r.permissions) as Permission[],
          createdAt: r.created_at,
        })),
    }));
  }
}

async function subjectsIn(db: Db, groupId: string): Promise<string[]> {
  const rows = await db.selectFrom('itwin_group_users').select('subject').where('group_id', '=', groupId).execute();
  return rows.map((r) => r.subject);
}

function rowOf(g: Group): GroupRow {
  return { id: g.id, itwin_id: g.iTwinId, name: g.name, description: g.description, ims_groups: JSON.stringify(g.imsGroups), created_at: g.createdAt };
}

function groupFromRow(row: GroupRow): Group {
  return {
    id: row.id,
    iTwinId: row.itwin_id,
    name: row.name,
    description: row.description,
    imsGroups: JSON.parse(row.ims_groups) as string[],
    createdAt: row.created_at,
  };
}
