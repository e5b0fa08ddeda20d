import type { IModelDb } from '@itwin/core-backend';

/**
 * twinsync's own EC schema for what BisCore has no class for: IFC's spatial structure (BisCore has
 * only the abstract SpatialLocationElement, and the SpatialComposition schema is not shipped with
 * iTwin.js) and the relationship of an element to the structure that contains it. Classes, not
 * JSON, so that iTwin.js's property grid, ECSQL and any viewer's model tree see sites, buildings,
 * storeys and spaces as what they are:
 *   SELECT s.UserLabel, COUNT(*) FROM TwinsyncIfc.IfcBuildingStorey s
 *     JOIN TwinsyncIfc.SpatialStructureContainsElements r ON r.SourceECInstanceId = s.ECInstanceId GROUP BY s.UserLabel
 *
 * The version grows with the schema (never changes in place): an iModel keeps the version it was
 * first written with until a newer twinsync imports the newer one over it.
 */
export const IFC_SCHEMA_NAME = 'TwinsyncIfc';
const IFC_SCHEMA_VERSION = '01.00.00';

const SCHEMA_XML = `<?xml version="1.0" encoding="UTF-8"?>
<ECSchema schemaName="${IFC_SCHEMA_NAME}" alias="tsifc" version="${IFC_SCHEMA_VERSION}" displayLabel="IFC (twinsync)" description="IFC spatial structure and containment, written by twinsync's builtin IFC connector." xmlns="http://www.bentley.com/schemas/Bentley.ECXML.3.2">
  <ECSchemaReference name="BisCore" version="01.00.00" alias="bis"/>
  <ECEntityClass typeName="IfcSpatialElement" modifier="Abstract" displayLabel="IFC Spatial Element" description="An element of an IFC file's spatial structure: project, site, building, storey or space.">
    <BaseClass>bis:SpatialLocationElement</BaseClass>
    <ECProperty propertyName="GlobalId" typeName="string" displayLabel="IFC GlobalId"/>
    <ECProperty propertyName="IfcClass" typeName="string" displayLabel="IFC Class"/>
    <ECProperty propertyName="LongName" typeName="string" displayLabel="Long Name"/>
  </ECEntityClass>
  <ECEntityClass typeName="IfcProject" displayLabel="IFC Project" description="The root of an IFC file's spatial structure.">
    <BaseClass>IfcSpatialElement</BaseClass>
  </ECEntityClass>
  <ECEntityClass typeName="IfcSite" displayLabel="IFC Site">
    <BaseClass>IfcSpatialElement</BaseClass>
  </ECEntityClass>
  <ECEntityClass typeName="IfcBuilding" displayLabel="IFC Building">
    <BaseClass>IfcSpatialElement</BaseClass>
  </ECEntityClass>
  <ECEntityClass typeName="IfcBuildingStorey" displayLabel="IFC Building Storey">
    <BaseClass>IfcSpatialElement</BaseClass>
    <ECProperty propertyName="Elevation" typeName="double" displayLabel="Elevation" description="As the IFC file gives it, in its length unit."/>
  </ECEntityClass>
  <ECEntityClass typeName="IfcSpace" displayLabel="IFC Space" description="A room or other bounded area, with its volume as geometry.">
    <BaseClass>IfcSpatialElement</BaseClass>
  </ECEntityClass>
  <ECRelationshipClass typeName="SpatialStructureContainsElements" strength="referencing" modifier="None" displayLabel="Contains" description="The spatial structure element that contains an element (IfcRelContainedInSpatialStructure, followed up through aggregation for parts of an aggregate).">
    <BaseClass>bis:ElementRefersToElements</BaseClass>
    <Source multiplicity="(0..*)" roleLabel="contains" polymorphic="true">
      <Class class="IfcSpatialElement"/>
    </Source>
    <Target multiplicity="(0..*)" roleLabel="is contained in" polymorphic="true">
      <Class class="bis:GeometricElement3d"/>
    </Target>
  </ECRelationshipClass>
</ECSchema>
`;

/** The spatial classes, by IFC entity (upper-case, as web-ifc names types). */
export const SPATIAL_CLASSES: Readonly<Record<string, string>> = {
  IFCPROJECT: `${IFC_SCHEMA_NAME}:IfcProject`,
  IFCSITE: `${IFC_SCHEMA_NAME}:IfcSite`,
  IFCBUILDING: `${IFC_SCHEMA_NAME}:IfcBuilding`,
  IFCBUILDINGSTOREY: `${IFC_SCHEMA_NAME}:IfcBuildingStorey`,
  IFCSPACE: `${IFC_SCHEMA_NAME}:IfcSpace`,
};
export const CONTAINS_RELATIONSHIP = `${IFC_SCHEMA_NAME}:SpatialStructureContainsElements`;

/** Imports the schema into the version being written unless it holds this version (or a newer one) already. */
export async function ensureIfcSchema(db: IModelDb): Promise<void> {
  const present = db.querySchemaVersion(IFC_SCHEMA_NAME);
  if (present !== undefined && present >= IFC_SCHEMA_VERSION) return;
  await db.importSchemaStrings([SCHEMA_XML]);
}
