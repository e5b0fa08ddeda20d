/** Persistence of iModels, in domain terms (implemented in src/store/repositories/imodels.ts). */
export interface IModelRepository {
  /** iModels in the iTwin. TODO(issue 11): the rest of the aggregate's operations join it. */
  countIn(itwinId: string): Promise<number>;
}
