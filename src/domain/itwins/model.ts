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
  /** Given at creation, or else the iTwin's id (as the iTwins API does). */
  number: string;
  displayName: string;
  status: string;
  parentId: string | null;
  extra: Partial<Record<ExtraField, string>>;
  createdAt: string;
  createdBy: string;
  rootFolderId: string;
}
