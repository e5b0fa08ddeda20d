import type { Caller } from '../../caller.js';
import { errors, type ErrorDetail } from '../../errors.js';
import { property } from '../../request-body.js';
import type { Store } from '../../store.js';
import { itwinForMember } from '../access.js';
import { GENERATED_CLASSES, REPOSITORY_CLASSES, REPOSITORY_SUBCLASSES, type ITwinDataRepository } from './model.js';

export type GeneratedClass = (typeof GENERATED_CLASSES)[number];

export interface RepositoryList {
  iTwinId: string;
  /** Repositories the platform derives from what the iTwin holds: iModels, files in storage. */
  generated: GeneratedClass[];
  registered: ITwinDataRepository[];
}

/**
 * The repositories of an iTwin: those derived from its data (iModels when it has any, Storage when
 * it holds a file), then those registered, oldest first. `class` and `subClass` filter (any case);
 * `subClass` needs `class`, as the iTwins API says.
 */
export async function listRepositories(store: Store, caller: Caller, iTwinId: string, query: Record<string, unknown>): Promise<RepositoryList> {
  const details: ErrorDetail[] = [];
  const pick = (name: 'class' | 'subClass', allowed: readonly string[]) => {
    const raw = property(query, name);
    const text = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (typeof text !== 'string' || text === '') return undefined;
    const match = allowed.find((a) => a.toLowerCase() === text.toLowerCase());
    if (!match) details.push({ code: 'InvalidValue', message: `${name} must be one of: ${allowed.join(', ')}.`, target: name });
    return match;
  };
  const repositoryClass = pick('class', REPOSITORY_CLASSES);
  const subClass = pick('subClass', REPOSITORY_SUBCLASSES);
  if (subClass && !repositoryClass && !details.some((d) => d.target === 'class')) {
    details.push({ code: 'MissingRequiredProperty', message: 'class is required when subClass is given.', target: 'class' });
  }
  if (details.length > 0) throw errors.invalidITwinRequest(details);
  const itwin = await itwinForMember(store, caller, iTwinId);
  const generated: GeneratedClass[] = [];
  if (!subClass && (!repositoryClass || repositoryClass === 'iModels') && (await store.imodels.countIn(itwin.id)) > 0) generated.push('iModels');
  if (!subClass && (!repositoryClass || repositoryClass === 'Storage') && (await store.storage.fileIdsOf(itwin.id)).length > 0) generated.push('Storage');
  const registered = (GENERATED_CLASSES as readonly string[]).includes(repositoryClass ?? '')
    ? []
    : await store.itwins.listRepositories(itwin.id, { class: repositoryClass, subClass });
  return { iTwinId: itwin.id, generated, registered };
}
