import type { ITwin } from '../../domain/itwins/model.js';

export function itwinUrl(publicUrl: string, id: string): string {
  return `${publicUrl}/itwins/${id}`;
}

/** Every documented property, null where unset (as the iTwins API answers). */
export function presentITwin(it: ITwin) {
  return {
    id: it.id,
    class: it.class,
    subClass: it.subClass,
    type: it.type,
    number: it.number,
    displayName: it.displayName,
    geographicLocation: it.extra.geographicLocation ?? null,
    ianaTimeZone: it.extra.ianaTimeZone ?? null,
    dataCenterLocation: it.extra.dataCenterLocation ?? null,
    status: it.status,
    parentId: it.parentId,
    iTwinAccountId: it.extra.iTwinAccountId ?? null,
    imageName: it.extra.imageName ?? null,
    image: it.extra.image ?? null,
    createdDateTime: it.createdAt,
    createdBy: it.createdBy,
  };
}

/** `Prefer: return=minimal` list items. */
export function presentITwinMinimal(it: ITwin) {
  return { id: it.id, class: it.class, subClass: it.subClass, type: it.type, number: it.number, displayName: it.displayName };
}
