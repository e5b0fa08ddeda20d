import { Surface, Text } from '@itwin/itwinui-react';
import type { ElementDetails, ModelProperty } from './model-api';

/** The picked element: what it is (class, IFC GlobalId, label, category) and its properties by property set. */
export function ElementPanel({ element }: { element: ElementDetails }) {
  const groups = new Map<string, ModelProperty[]>();
  for (const property of element.properties) groups.set(property.group, [...(groups.get(property.group) ?? []), property]);
  return (
    <Surface className="ts-element-panel" elevation={1} aria-label="Selected element" role="region">
      <Text variant="leading" as="h3">
        {element.label ?? element.id}
      </Text>
      <dl className="ts-element-facts">
        <dt>Class</dt>
        <dd data-testid="element-class">{element.classLabel}</dd>
        <dt>IFC GlobalId</dt>
        <dd data-testid="element-globalid">{element.globalId ?? '—'}</dd>
        <dt>Category</dt>
        <dd>{element.category.name}</dd>
        <dt>Model</dt>
        <dd>{element.model.name}</dd>
        <dt>Element id</dt>
        <dd>{element.id}</dd>
      </dl>
      {[...groups].map(([group, properties]) => (
        <details key={group} open={groups.size <= 4}>
          <summary>{group}</summary>
          <table className="ts-properties">
            <tbody>
              {properties.map((p) => (
                <tr key={p.name}>
                  <th scope="row">{p.label}</th>
                  <td>
                    {show(p.value)}
                    {p.unit ? ` ${p.unit}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ))}
    </Surface>
  );
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(Math.round(value * 1e6) / 1e6);
  return JSON.stringify(value);
}
