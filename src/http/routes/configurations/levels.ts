import { ConnectionParams } from '../../schemas/source-file.js';
import { ConnectionConfigurationResponse, IModelConfigurationResponse, ITwinConfigurationResponse } from '../../schemas/configuration.js';
import { IModelParams } from '../../schemas/imodel.js';
import { ITwinParams } from '../../schemas/itwin.js';
import type { LevelSpec } from './configuration-route.js';

export const ITWIN: LevelSpec = { level: 'itwin', name: 'iTwin', param: 'iTwinId', params: ITwinParams, response: ITwinConfigurationResponse };
export const IMODEL: LevelSpec = { level: 'imodel', name: 'iModel', param: 'iModelId', params: IModelParams, response: IModelConfigurationResponse };
export const CONNECTION: LevelSpec = {
  level: 'connection',
  name: 'Connection',
  param: 'connectionId',
  params: ConnectionParams,
  response: ConnectionConfigurationResponse,
};
