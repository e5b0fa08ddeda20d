/** The Synchronization API's connector types (docs/api-contract.md, Create Storage Connection), with what each reads. */
export const CONNECTOR_TYPES: { value: string; label: string }[] = [
  { value: 'IFC', label: 'IFC — Industry Foundation Classes' },
  { value: 'MSTN', label: 'MSTN — MicroStation DGN' },
  { value: 'DWG', label: 'DWG — AutoCAD' },
  { value: 'REVIT', label: 'REVIT — Autodesk Revit' },
  { value: 'CIVIL', label: 'CIVIL — OpenRoads and OpenRail' },
  { value: 'CIVIL3D', label: 'CIVIL3D — Autodesk Civil 3D' },
  { value: 'NWD', label: 'NWD — Navisworks' },
  { value: 'OBD', label: 'OBD — OpenBuildings Designer' },
  { value: 'PROSTRUCTURES', label: 'PROSTRUCTURES — ProStructures' },
  { value: 'OPENTOWER', label: 'OPENTOWER — OpenTower' },
  { value: 'AUTOPLANT', label: 'AUTOPLANT — AutoPLANT' },
  { value: 'INTELLIPID', label: 'INTELLIPID — IntelliPID' },
  { value: 'SPPID', label: 'SPPID — SmartPlant P&ID' },
  { value: 'SPXREVIEW', label: 'SPXREVIEW — SmartPlant Review' },
  { value: 'PSEXCEL', label: 'PSEXCEL — Excel' },
  { value: 'GEOSPATIAL', label: 'GEOSPATIAL — Geospatial data' },
  { value: 'DACQJSON', label: 'DACQJSON — Data acquisition JSON' },
];

const BY_EXTENSION: Record<string, string> = {
  ifc: 'IFC',
  ifczip: 'IFC',
  dgn: 'MSTN',
  dwg: 'DWG',
  dxf: 'DWG',
  rvt: 'REVIT',
  nwd: 'NWD',
  nwc: 'NWD',
  xlsx: 'PSEXCEL',
  xls: 'PSEXCEL',
  shp: 'GEOSPATIAL',
  geojson: 'GEOSPATIAL',
};

/** The connector type a file's name suggests; IFC when it suggests none (the one the service converts itself). */
export function guessConnectorType(fileName: string): string {
  const extension = fileName.split('.').pop()?.toLowerCase() ?? '';
  return BY_EXTENSION[extension] ?? 'IFC';
}
