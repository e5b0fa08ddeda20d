import { DEFAULT_DATA_CENTER, type ITwin } from '../itwins/model.js';
import type { Repositories } from '../store.js';
import type { IModel } from './model.js';

/**
 * An iModel is kept where its iTwin's data is: its `dataCenterLocation` is the iTwin's (given at
 * the iTwin's creation, the iTwins API's default otherwise), read when the iModel is shown.
 */
export function locatedIn(itwin: Pick<ITwin, 'extra'> | undefined, imodel: IModel): IModel {
  return { ...imodel, dataCenterLocation: itwin?.extra.dataCenterLocation ?? DEFAULT_DATA_CENTER };
}

export async function withDataCenter(repos: Pick<Repositories, 'itwins'>, imodel: IModel): Promise<IModel> {
  return locatedIn(await repos.itwins.find(imodel.iTwinId), imodel);
}
