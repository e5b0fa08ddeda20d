import type { IModelDb } from '@itwin/core-backend';
import { QUANTITY_KINDS } from './ifc-units.js';

/**
 * twinsync's own EC schema for what BisCore has no class for: IFC's spatial structure (BisCore has
 * only the abstract SpatialLocationElement, and the SpatialComposition schema is not shipped with
 * iTwin.js) and the relationship of an element to the structure that contains it. Classes, not
 * JSON, so that iTwin.js's property grid, ECSQL and any viewer's model tree see sites, buildings,
 * storeys and spaces as what they are:
 *   SELECT s.UserLabel, COUNT(*) FROM TwinsyncIfc.IfcElement e
 *     JOIN TwinsyncIfc.IfcBuildingStorey s ON s.ECInstanceId = e.ContainedIn.Id GROUP BY s.UserLabel
 *
 * The version grows with the schema (never changes in place): an iModel keeps the version it was
 * written with until a newer twinsync imports the newer one over it, at its next synchronization
 * (ensureIfcSchema). 01.01.00 brought the kinds of quantity, base classes and aspects; 01.01.01
 * the SpatialStructureReferencesElements relationship, an addition older readers and writers can
 * ignore: a minor version (read.write.minor), so that TwinsyncIfcDynamic's reference to 01.01.00
 * still resolves (a write version other than the one referenced does not: the import fails).
 */
export const IFC_SCHEMA_NAME = 'TwinsyncIfc';
const IFC_SCHEMA_VERSION = '01.01.01';

/** A kind of quantity per unit twinsync converts to SI: EC properties holding measures refer to one. */
const KINDS_OF_QUANTITY = Object.values(QUANTITY_KINDS)
  .map(
    (k) =>
      `  <KindOfQuantity typeName="${k.name}" displayLabel="${k.name}" persistenceUnit="u:${k.ecUnit}" presentationUnits="f:DefaultRealU(4)[u:${k.ecUnit}]" relativeError="0.0001"/>`,
  )
  .join('\n');

/** The schema as imported (exported for the test of an older iModel's upgrade). */
export const SCHEMA_XML = `<?xml version="1.0" encoding="UTF-8"?>
<ECSchema schemaName="${IFC_SCHEMA_NAME}" alias="tsifc" version="${IFC_SCHEMA_VERSION}" displayLabel="IFC (twinsync)" description="What twinsync's builtin IFC connector brings in besides BisCore: IFC's spatial structure, the base classes of elements, types and property sets, materials, classification references and the units of measured values." xmlns="http://www.bentley.com/schemas/Bentley.ECXML.3.2">
  <ECSchemaReference name="BisCore" version="01.00.00" alias="bis"/>
  <ECSchemaReference name="Units" version="01.00.09" alias="u"/>
  <ECSchemaReference name="Formats" version="01.00.00" alias="f"/>
${KINDS_OF_QUANTITY}
  <ECEntityClass typeName="IfcElement" modifier="Abstract" displayLabel="IFC Element" description="An IFC product (wall, door, pipe segment, assembly, …); each IFC entity is a class of the TwinsyncIfcDynamic schema derived from this one, with its property and quantity sets as properties.">
    <BaseClass>bis:PhysicalElement</BaseClass>
    <ECProperty propertyName="GlobalId" typeName="string" displayLabel="IFC GlobalId"/>
    <ECProperty propertyName="IfcClass" typeName="string" displayLabel="IFC Class"/>
    <ECProperty propertyName="Tag" typeName="string" displayLabel="Tag"/>
    <ECProperty propertyName="ObjectType" typeName="string" displayLabel="Object Type"/>
    <ECProperty propertyName="Description" typeName="string" displayLabel="Description"/>
    <ECNavigationProperty propertyName="ContainedIn" relationshipName="SpatialStructureContainsElements" direction="backward" displayLabel="Contained in" description="The spatial structure element (storey, space, site, …) that contains it."/>
  </ECEntityClass>
  <ECEntityClass typeName="IfcType" modifier="Abstract" displayLabel="IFC Type" description="An IFC type object (IfcWallType, IfcDoorStyle, …) its occurrences point to; each IFC entity is a class of the TwinsyncIfcDynamic schema derived from this one.">
    <BaseClass>bis:PhysicalType</BaseClass>
    <ECProperty propertyName="GlobalId" typeName="string" displayLabel="IFC GlobalId"/>
    <ECProperty propertyName="IfcClass" typeName="string" displayLabel="IFC Class"/>
    <ECProperty propertyName="Tag" typeName="string" displayLabel="Tag"/>
    <ECProperty propertyName="ElementType" typeName="string" displayLabel="Element Type"/>
    <ECProperty propertyName="ApplicableOccurrence" typeName="string" displayLabel="Applicable Occurrence"/>
    <ECProperty propertyName="Description" typeName="string" displayLabel="Description"/>
  </ECEntityClass>
  <ECEntityClass typeName="IfcSpatialElement" modifier="Abstract" displayLabel="IFC Spatial Element" description="An element of an IFC file's spatial structure: project, site, building, storey, space or, in IFC4X3, a facility and its parts.">
    <BaseClass>bis:SpatialLocationElement</BaseClass>
    <ECProperty propertyName="GlobalId" typeName="string" displayLabel="IFC GlobalId"/>
    <ECProperty propertyName="IfcClass" typeName="string" displayLabel="IFC Class"/>
    <ECProperty propertyName="LongName" typeName="string" displayLabel="Long Name"/>
    <ECProperty propertyName="ObjectType" typeName="string" displayLabel="Object Type"/>
    <ECProperty propertyName="Description" typeName="string" displayLabel="Description"/>
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
    <ECProperty propertyName="Elevation" typeName="double" displayLabel="Elevation" kindOfQuantity="Length"/>
  </ECEntityClass>
  <ECEntityClass typeName="IfcSpace" displayLabel="IFC Space" description="A room or other bounded area, with its volume as geometry.">
    <BaseClass>IfcSpatialElement</BaseClass>
  </ECEntityClass>
  <ECEntityClass typeName="IfcFacility" displayLabel="IFC Facility" description="IFC4X3's road, bridge, railway, marine facility or other facility.">
    <BaseClass>IfcSpatialElement</BaseClass>
  </ECEntityClass>
  <ECEntityClass typeName="IfcFacilityPart" displayLabel="IFC Facility Part" description="A part of a facility (IFC4X3): road part, bridge part, …">
    <BaseClass>IfcSpatialElement</BaseClass>
  </ECEntityClass>
  <ECEntityClass typeName="IfcSpatialZone" displayLabel="IFC Spatial Zone">
    <BaseClass>IfcSpatialElement</BaseClass>
  </ECEntityClass>
  <ECEntityClass typeName="IfcExternalSpatialElement" displayLabel="IFC External Spatial Element" description="A spatial element outside the building (an external zone, the ground, …).">
    <BaseClass>IfcSpatialElement</BaseClass>
  </ECEntityClass>
  <ECEntityClass typeName="IfcMaterialAspect" displayLabel="IFC Material" description="A material an element or type is made of: alone, in a list, or as a layer, profile or constituent of a set.">
    <BaseClass>bis:ElementMultiAspect</BaseClass>
    <ECProperty propertyName="Material" typeName="string" displayLabel="Material"/>
    <ECProperty propertyName="Category" typeName="string" displayLabel="Category"/>
    <ECProperty propertyName="Usage" typeName="string" displayLabel="Usage"/>
    <ECProperty propertyName="SetName" typeName="string" displayLabel="Set"/>
    <ECProperty propertyName="Position" typeName="int" displayLabel="Position"/>
    <ECProperty propertyName="Thickness" typeName="double" displayLabel="Thickness" kindOfQuantity="Length"/>
    <ECProperty propertyName="Fraction" typeName="double" displayLabel="Fraction"/>
  </ECEntityClass>
  <ECEntityClass typeName="IfcClassificationAspect" displayLabel="IFC Classification" description="A classification reference of an element or type (e.g. a Uniclass or OmniClass code).">
    <BaseClass>bis:ElementMultiAspect</BaseClass>
    <ECProperty propertyName="System" typeName="string" displayLabel="System"/>
    <ECProperty propertyName="Edition" typeName="string" displayLabel="Edition"/>
    <ECProperty propertyName="Identification" typeName="string" displayLabel="Identification"/>
    <ECProperty propertyName="ReferenceName" typeName="string" displayLabel="Name"/>
    <ECProperty propertyName="Location" typeName="string" displayLabel="Location"/>
  </ECEntityClass>
  <ECRelationshipClass typeName="SpatialStructureContainsElements" strength="referencing" modifier="Sealed" displayLabel="Contains" description="The spatial structure element that contains an element (IfcRelContainedInSpatialStructure, followed up through aggregation for parts of an aggregate); the element's ContainedIn property.">
    <Source multiplicity="(0..1)" roleLabel="contains" polymorphic="true">
      <Class class="IfcSpatialElement"/>
    </Source>
    <Target multiplicity="(0..*)" roleLabel="is contained in" polymorphic="true">
      <Class class="IfcElement"/>
    </Target>
  </ECRelationshipClass>
  <ECRelationshipClass typeName="SpatialStructureReferencesElements" strength="referencing" modifier="Sealed" displayLabel="References" description="A spatial structure element (storey, space, …) that references an element or spatial element it does not contain (IfcRelReferencedInSpatialStructure): a column running through several storeys, a wall bounding several spaces. Many to many: a row per reference.">
    <BaseClass>bis:ElementRefersToElements</BaseClass>
    <Source multiplicity="(0..*)" roleLabel="references" polymorphic="true">
      <Class class="IfcSpatialElement"/>
    </Source>
    <Target multiplicity="(0..*)" roleLabel="is referenced in" polymorphic="true" abstractConstraint="bis:SpatialElement">
      <Class class="IfcElement"/>
      <Class class="IfcSpatialElement"/>
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
  IFCFACILITY: `${IFC_SCHEMA_NAME}:IfcFacility`,
  IFCROAD: `${IFC_SCHEMA_NAME}:IfcFacility`,
  IFCBRIDGE: `${IFC_SCHEMA_NAME}:IfcFacility`,
  IFCRAILWAY: `${IFC_SCHEMA_NAME}:IfcFacility`,
  IFCMARINEFACILITY: `${IFC_SCHEMA_NAME}:IfcFacility`,
  IFCFACILITYPART: `${IFC_SCHEMA_NAME}:IfcFacilityPart`,
  IFCFACILITYPARTCOMMON: `${IFC_SCHEMA_NAME}:IfcFacilityPart`,
  IFCROADPART: `${IFC_SCHEMA_NAME}:IfcFacilityPart`,
  IFCBRIDGEPART: `${IFC_SCHEMA_NAME}:IfcFacilityPart`,
  IFCRAILWAYPART: `${IFC_SCHEMA_NAME}:IfcFacilityPart`,
  IFCMARINEPART: `${IFC_SCHEMA_NAME}:IfcFacilityPart`,
  IFCSPATIALZONE: `${IFC_SCHEMA_NAME}:IfcSpatialZone`,
  IFCEXTERNALSPATIALELEMENT: `${IFC_SCHEMA_NAME}:IfcExternalSpatialElement`,
};
export const CONTAINS_RELATIONSHIP = `${IFC_SCHEMA_NAME}:SpatialStructureContainsElements`;
export const REFERENCES_RELATIONSHIP = `${IFC_SCHEMA_NAME}:SpatialStructureReferencesElements`;

/** Imports the schema into the version being written unless it holds this version (or a newer one) already. */
export async function ensureIfcSchema(db: IModelDb): Promise<void> {
  const present = db.querySchemaVersion(IFC_SCHEMA_NAME);
  if (present !== undefined && !olderThan(present, IFC_SCHEMA_VERSION)) return;
  await db.importSchemaStrings([SCHEMA_XML]);
}

/**
 * Whether version `a` comes before `b`, read, write and minor compared as numbers: iTwin.js
 * answers "1.1.0" where the XML says "01.01.00", and compared as text "1.1.0" came after every
 * "01.…" version, so an iModel written with an older version was never upgraded.
 */
export function olderThan(a: string, b: string): boolean {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if ((x![i] ?? 0) !== (y![i] ?? 0)) return (x![i] ?? 0) < (y![i] ?? 0);
  return false;
}
