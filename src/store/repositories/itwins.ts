import type { ITwin } from '../../domain/itwins/model.js';
import type { ITwinRepository } from '../../domain/itwins/repository.js';
import type { ITwinDataRepository } from '../../domain/itwins/repositories/model.js';
import type { Member } from '../../domain/members/model.js';
import type { Page } from '../../domain/paging.js';
import type { Invitation, Role } from '../../domain/roles/model.js';
import { permissionList, type MemberAccess, type Permission } from '../../domain/roles/permissions.js';
import type { Kysely } from 'kysely';
import type { Scope } from '../scope.js';
import type { Database, InvitationRow, ITwinRepositoryRow, ITwinRoleRow, ITwinRow } from '../schema.js';

type Db = Kysely<Database>;

/** iTwins and their members over SQL. */
export class SqlITwins implements ITwinRepository {
  constructor(private readonly scope: Scope) {}

  async find(id: string): Promise<ITwin | undefined> {
    const row = await this.scope.db.selectFrom('itwins').selectAll().where('id', '=', id).executeTakeFirst();
    return row && itwinFromRow(row);
  }

  insert(itwin: ITwin): Promise<void> {
    return this.scope.write(async (db) => {
      await db.insertInto('itwins').values(rowOf(itwin)).execute();
    });
  }

  update(itwin: ITwin): Promise<void> {
    const { display_name, type, number, status, extra } = rowOf(itwin);
    return this.scope.write(async (db) => {
      await db.updateTable('itwins').set({ display_name, type, number, status, extra }).where('id', '=', itwin.id).execute();
    });
  }

  delete(id: string): Promise<void> {
    return this.scope.write(async (db) => {
      // Folders first, detached from each other: a cascade through a deep tree fails on SQLite
      // (one trigger level per folder level); members and files go by cascade.
      await db.updateTable('storage_folders').set({ parent_id: null }).where('itwin_id', '=', id).execute();
      await db.deleteFrom('storage_folders').where('itwin_id', '=', id).execute();
      await db.deleteFrom('itwins').where('id', '=', id).execute();
    });
  }

  lock(id: string): Promise<boolean> {
    // A no-op update takes the row's write lock on PostgreSQL (SQLite has one writer anyway).
    return this.scope.write(async (db) => {
      const result = await db
        .updateTable('itwins')
        .set((eb) => ({ status: eb.ref('status') }))
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    });
  }

  async listOf(subject: string, filter: { subClass?: string; includeInactive: boolean }, page: Page): Promise<ITwin[]> {
    let query = this.scope.db
      .selectFrom('itwins')
      .innerJoin('itwin_members', (j) => j.onRef('itwin_members.itwin_id', '=', 'itwins.id').on('itwin_members.subject', '=', subject))
      .selectAll('itwins');
    if (filter.subClass !== undefined) query = query.where('itwins.sub_class', '=', filter.subClass);
    if (!filter.includeInactive) query = query.where('itwins.status', '!=', 'Inactive');
    const rows = await query
      .orderBy('itwins.created_at')
      .orderBy('itwins.id')
      .offset(page.skip)
      .limit(page.top + 1)
      .execute();
    return rows.map(itwinFromRow);
  }

  insertRepository(repository: ITwinDataRepository): Promise<void> {
    return this.scope.write(async (db) => {
      await db
        .insertInto('itwin_repositories')
        .values({
          id: repository.id,
          itwin_id: repository.iTwinId,
          class: repository.class,
          sub_class: repository.subClass,
          display_name: repository.displayName,
          uri: repository.uri,
          details: JSON.stringify({ authentication: repository.authentication, options: repository.options }),
          created_at: repository.createdAt,
          created_by: repository.createdBy,
        })
        .execute();
    });
  }

  async listRepositories(itwinId: string, filter: { class?: string; subClass?: string }): Promise<ITwinDataRepository[]> {
    let query = this.scope.db.selectFrom('itwin_repositories').selectAll().where('itwin_id', '=', itwinId);
    if (filter.class !== undefined) query = query.where('class', '=', filter.class);
    if (filter.subClass !== undefined) query = query.where('sub_class', '=', filter.subClass);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map(repositoryFromRow);
  }

  deleteRepository(itwinId: string, id: string): Promise<boolean> {
    return this.scope.write(async (db) => {
      const result = await db.deleteFrom('itwin_repositories').where('itwin_id', '=', itwinId).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async isMember(itwinId: string, subject: string): Promise<boolean> {
    const row = await this.scope.db
      .selectFrom('itwin_members')
      .select('itwin_id')
      .where('itwin_id', '=', itwinId)
      .where('subject', '=', subject)
      .executeTakeFirst();
    return row !== undefined;
  }

  async accessOf(itwinId: string, subject: string): Promise<MemberAccess | undefined> {
    const row = await this.scope.db
      .selectFrom('itwin_members')
      .select(['owner', 'permissions'])
      .where('itwin_id', '=', itwinId)
      .where('subject', '=', subject)
      .executeTakeFirst();
    return row && { owner: Number(row.owner) === 1, permissions: row.permissions };
  }

  async findMember(itwinId: string, subject: string): Promise<Member | undefined> {
    const row = await this.scope.db
      .selectFrom('itwin_members')
      .selectAll()
      .where('itwin_id', '=', itwinId)
      .where('subject', '=', subject)
      .where('via_group', '=', 0)
      .executeTakeFirst();
    return row && memberFromRow(row);
  }

  addMember(member: Member): Promise<boolean> {
    return this.scope.write(async (db) => {
      try {
        await db
          .insertInto('itwin_members')
          .values({ itwin_id: member.iTwinId, subject: member.userId, created_at: member.createdAt, owner: member.owner ? 1 : 0 })
          .execute();
        return true;
      } catch (error) {
        // A unique violation aborts a PostgreSQL transaction: callers inside one check isMember first
        // (under the iTwin's lock), so this only decides races between transactions.
        if (this.scope.dialect.isUniqueViolation(error)) return false;
        throw error;
      }
    });
  }

  setOwner(itwinId: string, subject: string, owner: boolean): Promise<void> {
    return this.scope.write(async (db) => {
      await db
        .updateTable('itwin_members')
        .set({ owner: owner ? 1 : 0 })
        .where('itwin_id', '=', itwinId)
        .where('subject', '=', subject)
        .execute();
    });
  }

  async listMembers(itwinId: string, page: Page, filter: { owners?: boolean; users?: boolean } = {}): Promise<Member[]> {
    // A member only through a group is shown through its group, not as a member of its own.
    let query = this.scope.db.selectFrom('itwin_members as m').selectAll('m').where('m.itwin_id', '=', itwinId).where('m.via_group', '=', 0);
    if (filter.owners) query = query.where('m.owner', '=', 1);
    if (filter.users) {
      query = query.where((eb) =>
        eb.or([
          eb('m.owner', '=', 0),
          eb.exists(
            eb.selectFrom('itwin_member_roles as mr').select('mr.role_id').whereRef('mr.itwin_id', '=', 'm.itwin_id').whereRef('mr.subject', '=', 'm.subject'),
          ),
        ]),
      );
    }
    const rows = await query
      .orderBy('m.created_at')
      .orderBy('m.subject')
      .offset(page.skip)
      .limit(page.top + 1)
      .execute();
    return rows.map(memberFromRow);
  }

  async countMembers(itwinId: string): Promise<number> {
    const row = await this.scope.db
      .selectFrom('itwin_members')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('itwin_id', '=', itwinId)
      .where('via_group', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async countOwners(itwinId: string): Promise<number> {
    const row = await this.scope.db
      .selectFrom('itwin_members')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('itwin_id', '=', itwinId)
      .where('owner', '=', 1)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  setMemberRoles(itwinId: string, subject: string, roleIds: readonly string[]): Promise<void> {
    return this.scope.write(async (db) => {
      await db.deleteFrom('itwin_member_roles').where('itwin_id', '=', itwinId).where('subject', '=', subject).execute();
      if (roleIds.length > 0) {
        await db
          .insertInto('itwin_member_roles')
          .values([...new Set(roleIds)].map((role_id) => ({ itwin_id: itwinId, subject, role_id })))
          .execute();
      }
      // Roles given directly make the member a direct one, whether or not a group also brought it in.
      await db.updateTable('itwin_members').set({ via_group: 0 }).where('itwin_id', '=', itwinId).where('subject', '=', subject).execute();
      await refreshPermissions(db, itwinId, [subject]);
    });
  }

  async rolesOfMembers(itwinId: string, subjects: readonly string[]): Promise<Map<string, Role[]>> {
    const bySubject = new Map<string, Role[]>(subjects.map((s) => [s, []]));
    if (subjects.length === 0) return bySubject;
    const rows = await this.scope.db
      .selectFrom('itwin_member_roles as mr')
      .innerJoin('itwin_roles as r', 'r.id', 'mr.role_id')
      .selectAll('r')
      .select('mr.subject')
      .where('mr.itwin_id', '=', itwinId)
      .where('mr.subject', 'in', subjects)
      .orderBy('r.created_at')
      .orderBy('r.id')
      .execute();
    for (const row of rows) bySubject.get(row.subject)?.push(roleFromRow(row));
    return bySubject;
  }

  insertRole(role: Role): Promise<void> {
    return this.scope.write(async (db) => {
      await db.insertInto('itwin_roles').values(roleRowOf(role)).execute();
    });
  }

  async findRole(itwinId: string, roleId: string): Promise<Role | undefined> {
    const row = await this.scope.db.selectFrom('itwin_roles').selectAll().where('itwin_id', '=', itwinId).where('id', '=', roleId).executeTakeFirst();
    return row && roleFromRow(row);
  }

  async listRoles(itwinId: string): Promise<Role[]> {
    const rows = await this.scope.db.selectFrom('itwin_roles').selectAll().where('itwin_id', '=', itwinId).orderBy('created_at').orderBy('id').execute();
    return rows.map(roleFromRow);
  }

  async roleNameTaken(itwinId: string, displayName: string, exceptId?: string): Promise<boolean> {
    let query = this.scope.db.selectFrom('itwin_roles').select('id').where('itwin_id', '=', itwinId).where('display_name', '=', displayName);
    if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
    return (await query.executeTakeFirst()) !== undefined;
  }

  updateRole(role: Role): Promise<void> {
    return this.scope.write(async (db) => {
      await db
        .updateTable('itwin_roles')
        .set({ display_name: role.displayName, description: role.description, permissions: JSON.stringify(role.permissions) })
        .where('id', '=', role.id)
        .execute();
      await refreshPermissions(db, role.iTwinId, await holdersOf(db, role.id));
    });
  }

  deleteRole(itwinId: string, roleId: string): Promise<void> {
    return this.scope.write(async (db) => {
      const holders = await holdersOf(db, roleId);
      await db.deleteFrom('itwin_member_roles').where('role_id', '=', roleId).execute();
      await db.deleteFrom('itwin_group_roles').where('role_id', '=', roleId).execute();
      await db.deleteFrom('itwin_roles').where('id', '=', roleId).execute();
      await refreshPermissions(db, itwinId, holders);
    });
  }

  insertInvitation(invitation: Invitation): Promise<void> {
    return this.scope.write(async (db) => {
      await db.insertInto('itwin_invitations').values(invitationRowOf(invitation)).execute();
    });
  }

  async listInvitations(itwinId: string, page: Page, now: string, invitedBy?: string): Promise<Invitation[]> {
    let query = this.scope.db
      .selectFrom('itwin_invitations')
      .selectAll()
      .where('itwin_id', '=', itwinId)
      // ISO 8601 UTC text: compared as text, it compares as time (as created_at is ordered).
      .where('expires_at', '>', now);
    if (invitedBy !== undefined) query = query.where('invited_by', '=', invitedBy);
    const rows = await query
      .orderBy('created_at')
      .orderBy('id')
      .offset(page.skip)
      .limit(page.top + 1)
      .execute();
    return rows.map(invitationFromRow);
  }

  async invitationsFor(email: string): Promise<Invitation[]> {
    const rows = await this.scope.db
      .selectFrom('itwin_invitations')
      .selectAll()
      .where('email_key', '=', email.toLowerCase())
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(invitationFromRow);
  }

  deleteInvitation(id: string): Promise<void> {
    return this.scope.write(async (db) => {
      await db.deleteFrom('itwin_invitations').where('id', '=', id).execute();
    });
  }

  removeMember(itwinId: string, subject: string): Promise<boolean> {
    return this.scope.write(async (db) => {
      const result = await db.deleteFrom('itwin_members').where('itwin_id', '=', itwinId).where('subject', '=', subject).executeTakeFirst();
      // A user still in a member group stays a member through it.
      await refreshPermissions(db, itwinId, [subject]);
      return Number(result.numDeletedRows) > 0;
    });
  }
}

/** `parentId` and the documented properties twinsync only echoes share the `extra` JSON column. */
function rowOf(itwin: ITwin): ITwinRow {
  const extra: Record<string, string> = { ...itwin.extra };
  if (itwin.parentId) extra.parentId = itwin.parentId;
  return {
    id: itwin.id,
    display_name: itwin.displayName,
    class: itwin.class,
    sub_class: itwin.subClass,
    type: itwin.type,
    number: itwin.number,
    status: itwin.status,
    extra: JSON.stringify(extra),
    root_folder_id: itwin.rootFolderId,
    created_at: itwin.createdAt,
    created_by: itwin.createdBy,
  };
}

export function itwinFromRow(row: ITwinRow): ITwin {
  const stored = row.extra ? (JSON.parse(row.extra) as Record<string, string>) : {};
  const { parentId, ...extra } = stored;
  return {
    id: row.id,
    class: row.class,
    subClass: row.sub_class,
    type: row.type,
    // iTwins stored before the number was set at creation have none: theirs is their id.
    number: row.number ?? row.id,
    displayName: row.display_name,
    status: row.status,
    parentId: parentId ?? null,
    extra,
    createdAt: row.created_at,
    createdBy: row.created_by,
    rootFolderId: row.root_folder_id,
  };
}

function repositoryFromRow(row: ITwinRepositoryRow): ITwinDataRepository {
  const details = JSON.parse(row.details) as Pick<ITwinDataRepository, 'authentication' | 'options'>;
  return {
    id: row.id,
    iTwinId: row.itwin_id,
    class: row.class,
    subClass: row.sub_class,
    displayName: row.display_name,
    uri: row.uri,
    authentication: details.authentication ?? null,
    options: details.options ?? null,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

function memberFromRow(row: { itwin_id: string; subject: string; created_at: string; owner: number }): Member {
  return { iTwinId: row.itwin_id, userId: row.subject, createdAt: row.created_at, owner: Number(row.owner) === 1 };
}

/** Who holds the role, directly or through a group that is a member. */
async function holdersOf(db: Db, roleId: string): Promise<string[]> {
  const direct = await db.selectFrom('itwin_member_roles').select('subject').where('role_id', '=', roleId).execute();
  const viaGroups = await db
    .selectFrom('itwin_group_roles as gr')
    .innerJoin('itwin_group_users as gu', 'gu.group_id', 'gr.group_id')
    .select('gu.subject')
    .where('gr.role_id', '=', roleId)
    .execute();
  return [...new Set([...direct, ...viaGroups].map((r) => r.subject))];
}

/**
 * Rewrites the `permissions` of these users from their roles, direct and through the groups that are
 * members: the column is what the check on every request reads, so it changes in the same
 * transaction as the roles and groups it is made of. A user in a member group gets a row flagged
 * `via_group` if it had none; a flagged row goes when no member group holds its user any longer.
 */
export async function refreshPermissions(db: Db, itwinId: string, subjects: readonly string[]): Promise<void> {
  if (subjects.length === 0) return;
  const wanted = [...new Set(subjects)];
  const direct = await db
    .selectFrom('itwin_member_roles as mr')
    .innerJoin('itwin_roles as r', 'r.id', 'mr.role_id')
    .select(['mr.subject', 'r.permissions'])
    .where('mr.itwin_id', '=', itwinId)
    .where('mr.subject', 'in', wanted)
    .execute();
  const viaGroups = await db
    .selectFrom('itwin_group_users as gu')
    .innerJoin('itwin_group_members as gm', 'gm.group_id', 'gu.group_id')
    .innerJoin('itwin_group_roles as gr', 'gr.group_id', 'gu.group_id')
    .innerJoin('itwin_roles as r', 'r.id', 'gr.role_id')
    .select(['gu.subject', 'r.permissions'])
    .where('gm.itwin_id', '=', itwinId)
    .where('gu.subject', 'in', wanted)
    .execute();
  // In a member group, whether or not the group holds roles (a member holding none stays a member).
  const inGroups = await db
    .selectFrom('itwin_group_users as gu')
    .innerJoin('itwin_group_members as gm', 'gm.group_id', 'gu.group_id')
    .select('gu.subject')
    .where('gm.itwin_id', '=', itwinId)
    .where('gu.subject', 'in', wanted)
    .execute();
  const inGroup = new Set(inGroups.map((r) => r.subject));
  const union = new Map<string, string[]>(wanted.map((s) => [s, []]));
  for (const row of [...direct, ...viaGroups]) union.get(row.subject)?.push(...(JSON.parse(row.permissions) as string[]));
  const rows = await db.selectFrom('itwin_members').select(['subject', 'via_group']).where('itwin_id', '=', itwinId).where('subject', 'in', wanted).execute();
  const existing = new Map(rows.map((r) => [r.subject, Number(r.via_group) === 1]));
  for (const [subject, permissions] of union) {
    const viaGroup = existing.get(subject);
    if (viaGroup === undefined) {
      if (!inGroup.has(subject)) continue;
      await db
        .insertInto('itwin_members')
        .values({ itwin_id: itwinId, subject, created_at: new Date().toISOString(), owner: 0, via_group: 1, permissions: permissionList(permissions) })
        .execute();
    } else if (viaGroup && !inGroup.has(subject)) {
      await db.deleteFrom('itwin_members').where('itwin_id', '=', itwinId).where('subject', '=', subject).execute();
    } else {
      await db
        .updateTable('itwin_members')
        .set({ permissions: permissionList(permissions) })
        .where('itwin_id', '=', itwinId)
        .where('subject', '=', subject)
        .execute();
    }
  }
}

function roleRowOf(role: Role): ITwinRoleRow {
  return {
    id: role.id,
    itwin_id: role.iTwinId,
    display_name: role.displayName,
    description: role.description,
    permissions: JSON.stringify(role.permissions),
    created_at: role.createdAt,
  };
}

function roleFromRow(row: ITwinRoleRow): Role {
  return {
    id: row.id,
    iTwinId: row.itwin_id,
    displayName: row.display_name,
    description: row.description,
    permissions: JSON.parse(row.permissions) as Permission[],
    createdAt: row.created_at,
  };
}

function invitationRowOf(i: Invitation): InvitationRow {
  return {
    id: i.id,
    itwin_id: i.iTwinId,
    email: i.email,
    email_key: i.email.toLowerCase(),
    role_ids: JSON.stringify(i.roleIds),
    owner: i.owner ? 1 : 0,
    invited_by: i.invitedBy,
    created_at: i.createdAt,
    expires_at: i.expiresAt,
  };
}

function invitationFromRow(row: InvitationRow): Invitation {
  return {
    id: row.id,
    iTwinId: row.itwin_id,
    email: row.email,
    roleIds: JSON.parse(row.role_ids) as string[],
    owner: Number(row.owner) === 1,
    invitedBy: row.invited_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
