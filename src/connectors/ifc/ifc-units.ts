import { type StepFile, type StepValue, step } from './step-file.js';

/**
 * Units: an IFC file states its units once (the project's IfcUnitAssignment) and writes bare
 * numbers everywhere else, e.g. lengths in millimetres. twinsync stores every measured value in SI
 * (metre, square metre, kilogram, radian, …) and marks it with its kind, so that iTwin tools show it
 * with a unit and convert it for display as they convert their own.
 */

/** A kind of quantity twinsync knows: its SI unit (the EC unit it is stored in) and how it is written. */
export interface QuantityKind {
  /** The KindOfQuantity's name in the TwinsyncIfc schema. */
  name: string;
  /** The unit in the Units schema values are stored in. */
  ecUnit: string;
  label: string;
}

const KIND = (name: string, ecUnit: string, label: string): QuantityKind => ({ name, ecUnit, label });
export const QUANTITY_KINDS = {
  LENGTHUNIT: KIND('Length', 'M', 'm'),
  AREAUNIT: KIND('Area', 'SQ_M', 'm²'),
  VOLUMEUNIT: KIND('Volume', 'CUB_M', 'm³'),
  MASSUNIT: KIND('Mass', 'KG', 'kg'),
  PLANEANGLEUNIT: KIND('Angle', 'RAD', 'rad'),
  TIMEUNIT: KIND('Time', 'S', 's'),
  THERMODYNAMICTEMPERATUREUNIT: KIND('Temperature', 'K', 'K'),
  POWERUNIT: KIND('Power', 'W', 'W'),
  PRESSUREUNIT: KIND('Pressure', 'PA', 'Pa'),
  FORCEUNIT: KIND('Force', 'N', 'N'),
  ENERGYUNIT: KIND('Energy', 'J', 'J'),
  FREQUENCYUNIT: KIND('Frequency', 'HZ', 'Hz'),
  ILLUMINANCEUNIT: KIND('Illuminance', 'LUX', 'lx'),
  ELECTRICCURRENTUNIT: KIND('ElectricCurrent', 'A', 'A'),
  ELECTRICVOLTAGEUNIT: KIND('ElectricVoltage', 'VOLT', 'V'),
  THERMALTRANSMITTANCEUNIT: KIND('ThermalTransmittance', 'W_PER_SQ_M_K', 'W/(m²·K)'),
  THERMALCONDUCTANCEUNIT: KIND('ThermalConductivity', 'W_PER_M_K', 'W/(m·K)'),
  MASSDENSITYUNIT: KIND('MassDensity', 'KG_PER_CUB_M', 'kg/m³'),
  VOLUMETRICFLOWRATEUNIT: KIND('VolumetricFlowRate', 'CUB_M_PER_SEC', 'm³/s'),
  LINEARVELOCITYUNIT: KIND('Velocity', 'M_PER_SEC', 'm/s'),
} as const satisfies Record<string, QuantityKind>;
export type UnitType = keyof typeof QUANTITY_KINDS;

/** Which unit a typed IFC value is measured in (the measure types property values use). */
const MEASURE_UNIT: Record<string, UnitType> = {
  IFCLENGTHMEASURE: 'LENGTHUNIT',
  IFCPOSITIVELENGTHMEASURE: 'LENGTHUNIT',
  IFCNONNEGATIVELENGTHMEASURE: 'LENGTHUNIT',
  IFCAREAMEASURE: 'AREAUNIT',
  IFCVOLUMEMEASURE: 'VOLUMEUNIT',
  IFCMASSMEASURE: 'MASSUNIT',
  IFCPLANEANGLEMEASURE: 'PLANEANGLEUNIT',
  IFCPOSITIVEPLANEANGLEMEASURE: 'PLANEANGLEUNIT',
  IFCTIMEMEASURE: 'TIMEUNIT',
  IFCTHERMODYNAMICTEMPERATUREMEASURE: 'THERMODYNAMICTEMPERATUREUNIT',
  IFCPOWERMEASURE: 'POWERUNIT',
  IFCPRESSUREMEASURE: 'PRESSUREUNIT',
  IFCFORCEMEASURE: 'FORCEUNIT',
  IFCENERGYMEASURE: 'ENERGYUNIT',
  IFCFREQUENCYMEASURE: 'FREQUENCYUNIT',
  IFCILLUMINANCEMEASURE: 'ILLUMINANCEUNIT',
  IFCELECTRICCURRENTMEASURE: 'ELECTRICCURRENTUNIT',
  IFCELECTRICVOLTAGEMEASURE: 'ELECTRICVOLTAGEUNIT',
  IFCTHERMALTRANSMITTANCEMEASURE: 'THERMALTRANSMITTANCEUNIT',
  IFCTHERMALCONDUCTIVITYMEASURE: 'THERMALCONDUCTANCEUNIT',
  IFCMASSDENSITYMEASURE: 'MASSDENSITYUNIT',
  IFCVOLUMETRICFLOWRATEMEASURE: 'VOLUMETRICFLOWRATEUNIT',
  IFCLINEARVELOCITYMEASURE: 'LINEARVELOCITYUNIT',
};

/** The unit type a measure type is in, if it is one twinsync converts. */
export function unitTypeOfMeasure(measure: string): UnitType | undefined {
  return MEASURE_UNIT[measure];
}

/** How a value in some unit becomes SI: si = value × factor + offset. */
export interface Conversion {
  factor: number;
  offset: number;
}
const IDENTITY: Conversion = { factor: 1, offset: 0 };

const PREFIX: Record<string, number> = {
  EXA: 1e18,
  PETA: 1e15,
  TERA: 1e12,
  GIGA: 1e9,
  MEGA: 1e6,
  KILO: 1e3,
  HECTO: 1e2,
  DECA: 1e1,
  DECI: 1e-1,
  CENTI: 1e-2,
  MILLI: 1e-3,
  MICRO: 1e-6,
  NANO: 1e-9,
  PICO: 1e-12,
  FEMTO: 1e-15,
  ATTO: 1e-18,
};

/** SI unit names whose prefix applies to a squared or cubed base, and grams (the SI base is the kilogram). */
function siConversion(name: string, prefix: string | null): Conversion {
  const p = prefix ? (PREFIX[prefix] ?? 1) : 1;
  switch (name) {
    case 'SQUARE_METRE':
      return { factor: p * p, offset: 0 };
    case 'CUBIC_METRE':
      return { factor: p * p * p, offset: 0 };
    case 'GRAM':
      return { factor: p * 1e-3, offset: 0 };
    case 'DEGREE_CELSIUS':
      return { factor: p, offset: 273.15 };
    default:
      return { factor: p, offset: 0 };
  }
}

/** The file's units: how to bring a value of each unit type to SI. */
export class IfcUnits {
  private constructor(private readonly conversions: Map<string, Conversion>) {}

  /** Reads the project's unit assignment; a unit type the file does not assign is taken as SI. */
  static read(file: StepFile): IfcUnits {
    const conversions = new Map<string, Conversion>();
    for (const projectId of file.idsOf('IFCPROJECT')) {
      const assignment = file.entity(step.ref(file.entity(projectId)?.attributes[8]) ?? 0);
      for (const unitId of step.refs(assignment?.attributes[0])) {
        const resolved = unitConversion(file, unitId, 0);
        if (resolved && !conversions.has(resolved.type)) conversions.set(resolved.type, resolved.conversion);
      }
    }
    return new IfcUnits(conversions);
  }

  /** The units as text: part of what every mesh depends on. */
  describe(): string {
    return JSON.stringify([...this.conversions].sort(([a], [b]) => a.localeCompare(b)));
  }

  conversion(type: UnitType): Conversion {
    return this.conversions.get(type) ?? IDENTITY;
  }

  /** A value of this unit type in SI, rounded to what a double holds after the conversion (no 0.30000000000000004). */
  toSi(type: UnitType, value: number): number {
    const { factor, offset } = this.conversion(type);
    if (factor === 1 && offset === 0) return value;
    return Number.parseFloat((value * factor + offset).toPrecision(15));
  }
}

/** A named unit (IfcSIUnit, IfcConversionBasedUnit) or a derived one, as a conversion to SI. */
function unitConversion(file: StepFile, id: number, depth: number): { type: string; conversion: Conversion } | undefined {
  const unit = file.entity(id);
  if (!unit || depth > 8) return undefined;
  const a = unit.attributes;
  switch (unit.type) {
    case 'IFCSIUNIT': {
      const type = step.enumOf(a[1]);
      const name = step.enumOf(a[3]);
      return type && name ? { type, conversion: siConversion(name, step.enumOf(a[2])) } : undefined;
    }
    case 'IFCCONVERSIONBASEDUNIT':
    case 'IFCCONVERSIONBASEDUNITWITHOFFSET': {
      const type = step.enumOf(a[1]);
      const measure = file.entity(step.ref(a[3]) ?? 0);
      const value = step.number(measure?.attributes[0]);
      const base = unitConversion(file, step.ref(measure?.attributes[1]) ?? 0, depth + 1);
      if (!type || value === null || !base) return undefined;
      // With an offset (degrees Fahrenheit): base = (value − offset) × factor, e.g. offset −459.67.
      const offset = unit.type === 'IFCCONVERSIONBASEDUNITWITHOFFSET' ? (step.number(a[4]) ?? 0) : 0;
      const factor = value * base.conversion.factor;
      return { type, conversion: { factor, offset: -offset * factor + base.conversion.offset } };
    }
    case 'IFCDERIVEDUNIT': {
      const type = step.enumOf(a[1]);
      if (!type) return undefined;
      let factor = 1;
      for (const elementId of step.refs(a[0])) {
        const element = file.entity(elementId);
        const base = unitConversion(file, step.ref(element?.attributes[0]) ?? 0, depth + 1);
        const exponent = step.number(element?.attributes[1]);
        if (!base || exponent === null) return undefined;
        factor *= base.conversion.factor ** exponent;
      }
      return { type, conversion: { factor, offset: 0 } };
    }
    default:
      return undefined;
  }
}

/** The unit a property names for itself (IfcPropertySingleValue.Unit and friends), if twinsync can convert it. */
export function ownUnit(file: StepFile, value: StepValue | undefined): { type: UnitType; conversion: Conversion } | undefined {
  const id = step.ref(value);
  if (id === null) return undefined;
  const resolved = unitConversion(file, id, 0);
  if (!resolved || !(resolved.type in QUANTITY_KINDS)) return undefined;
  return { type: resolved.type as UnitType, conversion: resolved.conversion };
}
