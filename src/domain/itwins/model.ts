import type { ITwinRow } from '../../store/schema.js';

/** Classes and the subclasses each allows, as the iTwins API defines them. */
export const ITWIN_CLASSES = {
  Account: ['Account'],
  Thing: ['Asset', 'Portfolio'],
  Endeavor: ['Project', 'Program', 'WorkPackage'],
} as const;
export type ITwinClass = keyof typeof ITWIN_CLASSES;
export const ITWIN_SUBCLASSES = ['Account', 'Asset', 'Portfolio', 'Project', 'Program', 'WorkPackage'] as const;
export const ITWIN_STATUSES = ['Active', 'Inactive', 'Trial'] as const;

/** Documented iTwin properties twinsync stores and echoes but never interprets (the `extra` column). */
export const EXTRA_FIELDS = ['geographicLocation', 'ianaTimeZone', 'dataCenterLocation', 'iTwinAccountId', 'imageName', 'image'] as const;
export type ExtraField = (typeof EXTRA_FIELDS)[number];

/** The iTwins API's default data center, reported when a create names none. */
export const DEFAULT_DATA_CENTER = 'East US';

export interface ITwin {
  id: string;
  class: string;
  subClass: string;
  type: string | null;
  number: string;
  displayName: string;
  status: string;
  parentId: string | null;
  extra: Partial<Record<ExtraField, string>>;
  createdAt: string;
  createdBy: string;
  rootFolderId: string;
}

export function itwinFromRow(row: ITwinRow): ITwin {
  const stored = row.extra ? (JSON.parse(row.extra) as Record<string, string>) : {};
  const { parentId, ...extra } = stored;
  return {
    id: row.id,
    class: row.class,
    subClass: row.sub_class,
    type: row.type,
    // The iTwins API: an iTwin created without a number gets its id as number.
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
