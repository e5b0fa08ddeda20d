import { TWO_WALLS_IFC } from './ifc-fixture.js';

/** A 22-character GlobalId for fixture line n. */
export const gid = (n: number) => `1TwinsyncFixture${String(n).padStart(6, '0')}`;

/**
 * The two-walls fixture made into a small building with everything a BIM user expects to find
 * again in the iModel, in millimetres:
 * - spatial tree: project → site → building → storey "Level 1" (elevation 3000 mm) → space "Room 1"
 *   (with a volume); a stair (no geometry of its own) aggregating two flights; a table in the room;
 * - Wall 1: Tag, ObjectType, Description; a property set of every kind (enumerated, list, bounded
 *   with its own unit, table, complex, integer) written with `*` where IFC2X3 exporters put it;
 *   base quantities in mm, mm², mm³ and a count; a two-layer material set; a Uniclass reference;
 * - a wall type (with its own property set and material) both walls are occurrences of.
 */
export const RICH_IFC = TWO_WALLS_IFC.replace(
  '#2=IFCSIUNIT(*,.LENGTHUNIT.,$,.METRE.);',
  '#2=IFCSIUNIT(*,.LENGTHUNIT.,.MILLI.,.METRE.);\n#3=IFCSIUNIT(*,.AREAUNIT.,.MILLI.,.SQUARE_METRE.);\n#4=IFCSIUNIT(*,.VOLUMEUNIT.,.MILLI.,.CUBIC_METRE.);',
)
  .replace('#7=IFCUNITASSIGNMENT((#2));', '#7=IFCUNITASSIGNMENT((#2,#3,#4));')
  .replace(/^#50=IFCWALL\(.*$/m, `#50=IFCWALL('2O2Fr$t4X7Zf8NOew3FLOH',$,'Wall 1','An outer wall','Exterior',#30,#43,'W-001',$);`)
  .replace(
    "#95=IFCBUILDINGSTOREY('0B3NqOVo59KOuYnZ1a6M_W',$,'Level 1',$,$,$,$,$,.ELEMENT.,0.);",
    "#95=IFCBUILDINGSTOREY('0B3NqOVo59KOuYnZ1a6M_W',$,'Level 1',$,$,$,$,'First floor',.ELEMENT.,3000.);",
  )
  // IFC2X3 exporters write * for attributes they consider derived; web-ifc 0.0.78 shifted the values after it.
  .replace(
    "#96=IFCRELCONTAINEDINSPATIALSTRUCTURE('3Sa3dTJGn0H8TQIGiuGQd5',$,$,$,(#50,#70,#80),#95);",
    "#96=IFCRELCONTAINEDINSPATIALSTRUCTURE('3Sa3dTJGn0H8TQIGiuGQd5',*,*,*,(#50,#70,#80,#120),#95);",
  )
  .replace(
    /^(#96=.*)$/m,
    [
      '$1',
      `#97=IFCSITE('${gid(97)}',$,'Site',$,$,$,$,$,.ELEMENT.,$,$,$,$,$);`,
      `#98=IFCBUILDING('${gid(98)}',$,'House',$,$,$,$,'The house',.ELEMENT.,$,$,$);`,
      `#99=IFCRELAGGREGATES('${gid(99)}',$,$,$,#1,(#97));`,
      `#100=IFCRELAGGREGATES('${gid(100)}',$,$,$,#97,(#98));`,
      `#101=IFCRELAGGREGATES('${gid(101)}',$,$,$,#98,(#95));`,
      `#110=IFCSPACE('${gid(110)}',$,'Room 1',$,$,#31,#113,'Living room',.ELEMENT.,.INTERNAL.,$);`,
      '#111=IFCEXTRUDEDAREASOLID(#60,#13,#11,2500.);',
      "#112=IFCSHAPEREPRESENTATION(#20,'Body','SweptSolid',(#111));",
      '#113=IFCPRODUCTDEFINITIONSHAPE($,$,(#112));',
      `#114=IFCRELAGGREGATES('${gid(114)}',$,$,$,#95,(#110));`,
      `#120=IFCSTAIR('${gid(120)}',$,'Stair',$,$,#30,$,$,.STRAIGHT_RUN_STAIR.);`,
      `#121=IFCSTAIRFLIGHT('${gid(121)}',$,'Flight 1',$,$,#30,#43,$,$,$,$,$,$);`,
      `#122=IFCSTAIRFLIGHT('${gid(122)}',$,'Flight 2',$,$,#31,#43,$,$,$,$,$,$);`,
      `#123=IFCRELAGGREGATES('${gid(123)}',$,$,$,#120,(#121,#122));`,
      `#130=IFCFURNISHINGELEMENT('${gid(130)}',$,'Table',$,$,#31,#63,$);`,
      `#131=IFCRELCONTAINEDINSPATIALSTRUCTURE('${gid(131)}',$,$,$,(#130),#110);`,
      "#200=IFCPROPERTYENUMERATEDVALUE('Status',$,(IFCLABEL('NEW')),$);",
      "#201=IFCPROPERTYLISTVALUE('Layers',$,(IFCLENGTHMEASURE(100.),IFCLENGTHMEASURE(50.)),$);",
      "#202=IFCPROPERTYBOUNDEDVALUE('OperatingTemperature',$,IFCTHERMODYNAMICTEMPERATUREMEASURE(40.),IFCTHERMODYNAMICTEMPERATUREMEASURE(-10.),#210,$);",
      "#203=IFCPROPERTYTABLEVALUE('Curve',$,(IFCREAL(1.),IFCREAL(2.)),(IFCREAL(10.),IFCREAL(20.)),$,$,$,$);",
      "#204=IFCCOMPLEXPROPERTY('Frame',$,'Frame',(#205));",
      "#205=IFCPROPERTYSINGLEVALUE('Depth',$,IFCPOSITIVELENGTHMEASURE(80.),$);",
      "#206=IFCPROPERTYSINGLEVALUE('Anchors',$,IFCINTEGER(3),$);",
      `#207=IFCPROPERTYSET('${gid(207)}',$,'Twinsync_Test',*,(#200,#201,#202,#203,#204,#206));`,
      `#208=IFCRELDEFINESBYPROPERTIES('${gid(208)}',*,*,*,(#50),#207);`,
      '#210=IFCSIUNIT(*,.THERMODYNAMICTEMPERATUREUNIT.,$,.DEGREE_CELSIUS.);',
      "#220=IFCQUANTITYLENGTH('Length',$,$,4000.,$);",
      "#221=IFCQUANTITYAREA('NetSideArea',$,$,12000000.,$);",
      "#222=IFCQUANTITYVOLUME('NetVolume',$,$,2400000000.,$);",
      "#223=IFCQUANTITYCOUNT('Openings',$,$,2.,$);",
      `#224=IFCELEMENTQUANTITY('${gid(224)}',$,'Qto_WallBaseQuantities',$,$,(#220,#221,#222,#223));`,
      `#225=IFCRELDEFINESBYPROPERTIES('${gid(225)}',$,$,$,(#50),#224);`,
      `#230=IFCWALLTYPE('${gid(230)}',$,'WT-200',$,$,(#232),$,'T200',$,.STANDARD.);`,
      "#231=IFCPROPERTYSINGLEVALUE('AcousticRating',$,IFCLABEL('45 dB'),$);",
      `#232=IFCPROPERTYSET('${gid(232)}',$,'Pset_WallCommon',$,(#231));`,
      `#233=IFCRELDEFINESBYTYPE('${gid(233)}',$,$,$,(#50,#80),#230);`,
      "#240=IFCMATERIAL('Concrete',$,'Concrete');",
      "#241=IFCMATERIAL('Insulation',$,$);",
      "#242=IFCMATERIALLAYER(#240,150.,$,'Core',$,$,$);",
      '#243=IFCMATERIALLAYER(#241,50.,.F.,$,$,$,$);',
      "#244=IFCMATERIALLAYERSET((#242,#243),'Wall 200',$);",
      '#245=IFCMATERIALLAYERSETUSAGE(#244,.AXIS2.,.POSITIVE.,0.,$);',
      `#246=IFCRELASSOCIATESMATERIAL('${gid(246)}',$,$,$,(#50),#245);`,
      `#247=IFCRELASSOCIATESMATERIAL('${gid(247)}',$,$,$,(#230),#240);`,
      "#250=IFCCLASSIFICATION('NBS',$,$,'Uniclass 2015',$,$,$);",
      "#251=IFCCLASSIFICATIONREFERENCE($,'EF_25_10','Walls',#250,$,$);",
      `#252=IFCRELASSOCIATESCLASSIFICATION('${gid(252)}',$,$,$,(#50),#251);`,
    ].join('\n'),
  );
