import type { Page } from '../paging.js';
import type { Extent, IModel } from './model.js';

export interface IModelChange {
  name?: string;
  description?: string | null;
  extent?: Extent | null;
}

/** Persistence of iModels, in domain terms (implemented in src/store/repositories/imodels.ts). */
export interface IModelRepository {
  find(id: string): Promise<IModel | undefined>;
  /**
   * Stores a new iModel. False when its name is taken in its iTwin by one a concurrent request
   * stored (nothing written; inside a transaction, end it: PostgreSQL refuses anything after).
   */
  insert(imodel: IModel): Promise<boolean>;
  nameTaken(itwinId: string, name: string): Promise<boolean>;
  /**
   * Changes an iModel's name, description or extent. False when the new name is taken in its iTwin
   * by one a concurrent request stored (nothing written; inside a transaction, end it).
   */
  update(id: string, change: IModelChange): Promise<boolean>;
  /** iModels of an iTwin, oldest first (ties by id), optionally of one exact name; one beyond the page. */
  list(itwinId: string, filter: { name?: string }, page: Page): Promise<IModel[]>;
  /** iModels in the iTwin. */
  countIn(itwinId: string): Promise<number>;
  /** Its storage connections, their source files, runs and recorded changes go with it. False when it is gone. */
  delete(id: string): Promise<boolean>;
  /** Of `ids`, those that are iModels. */
  existingIds(ids: readonly string[]): Promise<Set<string>>;
}
