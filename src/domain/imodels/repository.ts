/**
 * Persistence of iModels, in domain terms (implemented in src/store/repositories).
 * TODO(issue 11): operations move here from src/store/repositories as the domain is converted.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface IModelRepository {}
