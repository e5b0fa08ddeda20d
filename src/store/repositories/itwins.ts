import type { ITwin } from '../../domain/itwins/model.js';
import type { ITwinRepository } from '../../domain/itwins/repository.js';
import type { ITwinDataRepository } from '../../domain/itwins/repositories/model.js';
import type { Member } from '../../domain/members/model.js';
import type { Page } from '../../domain/paging.js';
import type { Scope } from '../scope.js';
import type { ITwinMemberRow, ITwinRepositoryRow, ITwinRow } from '../schema.js';

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

  async findMember(itwinId: string, subject: string): Promise<Member | undefined> {
    const row = await this.scope.db.selectFrom('itwin_members').selectAll().where('itwin_id', '=', itwinId).where('subject', '=', subject).executeTakeFirst();
    return row && memberFromRow(row);
  }

  addMember(member: Member): Promise<boolean> {
    return this.scope.write(async (db) => {
      try {
        await db.insertInto('itwin_members').values({ itwin_id: member.iTwinId, subject: member.userId, created_at: member.createdAt }).execute();
        return true;
      } catch (error) {
        // A unique violation aborts a PostgreSQL transaction: callers inside one check isMember first
        // (under the iTwin's lock), so this only decides races between transactions.
        if (this.scope.dialect.isUniqueViolation(error)) return false;
        throw error;
      }
    });
  }

  async listMembers(itwinId: string, page: Page): Promise<Member[]> {
    const rows = await this.scope.db
      .selectFrom('itwin_members')
      .selectAll()
      .where('itwin_id', '=', itwinId)
      .orderBy('created_at')
      .orderBy('subject')
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
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  removeMember(itwinId: string, subject: string): Promise<boolean> {
    return this.scope.write(async (db) => {
      const result = await db.deleteFrom('itwin_members').where('itwin_id', '=', itwinId).where('subject', '=', subject).executeTakeFirst();
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

function memberFromRow(row: ITwinMemberRow): Member {
  return { iTwinId: row.itwin_id, userId: row.subject, createdAt: row.created_at };
}
