import type { GeneratedClass, RepositoryList } from '../../domain/itwins/repositories/list-repositories.js';
import type { ITwinDataRepository } from '../../domain/itwins/repositories/model.js';

/** A registered repository as the iTwins API shows it: optional properties only when set. */
export function presentRepository(repository: ITwinDataRepository) {
  return {
    id: repository.id,
    class: repository.class,
    ...(repository.subClass ? { subClass: repository.subClass } : {}),
    ...(repository.displayName ? { displayName: repository.displayName } : {}),
    uri: repository.uri,
    ...(repository.authentication ? { authentication: repository.authentication } : {}),
    ...(repository.options ? { options: repository.options } : {}),
  };
}

/** A generated repository: its id is its class in lower case, its uri where this service lists that data. */
function presentGenerated(publicUrl: string, iTwinId: string, generated: GeneratedClass) {
  const uri = generated === 'iModels' ? `${publicUrl}/imodels?iTwinId=${iTwinId}` : `${publicUrl}/storage/?iTwinId=${iTwinId}`;
  return { id: generated.toLowerCase(), class: generated, displayName: generated, uri };
}

export function presentRepositories(publicUrl: string, list: RepositoryList) {
  return [...list.generated.map((g) => presentGenerated(publicUrl, list.iTwinId, g)), ...list.registered.map(presentRepository)];
}
