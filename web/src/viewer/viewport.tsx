import { Button, Checkbox, Fieldset, Flex, ProgressRadial, Text, ToggleSwitch } from '@itwin/itwinui-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Problem } from '../components/problem';
import { ElementPanel } from './element-panel';
import { type ElementDetails, type ModelCategory, type ModelChanges, type ModelElement, modelApi } from './model-api';
import type { ChangeKind, ModelScene } from './scene';

/**
 * The test hook (docs/web-app.md, The 3D view): where an element's bounding-box centre is on the
 * screen, so that a browser test can click a known element. Set while a model is shown.
 */
declare global {
  interface Window {
    twinsyncModelView?: { elementIds: () => string[]; screenPoint: (id: string) => { x: number; y: number } | undefined };
  }
}

const LEGEND: { kind: ChangeKind; label: string }[] = [
  { kind: 'inserted', label: 'Inserted' },
  { kind: 'updated', label: 'Updated' },
  { kind: 'unchanged', label: 'Unchanged' },
];

interface Loaded {
  scene: ModelScene;
  colours: Record<ChangeKind, string>;
  elements: ModelElement[];
  categories: ModelCategory[];
  nodeCount: number;
}

/** One version's model: canvas, navigation buttons, categories, change colours, the picked element. */
export function Viewport({ iModelId, changesetIndex, label }: { iModelId: string; changesetIndex: number; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<unknown>();
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string>();
  const [details, setDetails] = useState<{ element?: ElementDetails; error?: unknown }>();
  const [byChange, setByChange] = useState(false);
  const [changes, setChanges] = useState<{ data?: ModelChanges; error?: unknown }>();

  useEffect(() => {
    const abort = new AbortController();
    let scene: ModelScene | undefined;
    setLoaded(undefined);
    setError(undefined);
    (async () => {
      const [bytes, elements, categories, module] = await Promise.all([
        modelApi.graphics(iModelId, changesetIndex, abort.signal),
        modelApi.elements(iModelId, changesetIndex),
        modelApi.categories(iModelId, changesetIndex),
        import('./scene'), // three.js: its own chunk, fetched only when a model is shown
      ]);
      if (abort.signal.aborted || !canvas.current) return;
      scene = new module.ModelScene(canvas.current);
      const nodeCount = await scene.load(bytes);
      const spaces = new Set(categories.filter((c) => c.spaces).map((c) => c.id));
      scene.setVisible(
        elements.filter((e) => spaces.has(e.category.id)).map((e) => e.id),
        false,
      );
      scene.fit();
      setHidden(spaces);
      const current = scene;
      window.twinsyncModelView = { elementIds: () => current.elementIds, screenPoint: (id) => current.screenPoint(id) };
      setLoaded({ scene, colours: { ...module.CHANGE_COLOURS }, elements, categories, nodeCount });
    })().catch((e) => !abort.signal.aborted && setError(e));
    return () => {
      abort.abort();
      scene?.dispose();
      window.twinsyncModelView = undefined;
    };
  }, [iModelId, changesetIndex]);

  useEffect(() => {
    loaded?.scene.select(selected);
    if (!selected) return setDetails(undefined);
    setDetails({});
    modelApi.element(iModelId, changesetIndex, selected).then(
      (element) => setDetails({ element }),
      (e) => setDetails({ error: e }),
    );
  }, [selected, loaded, iModelId, changesetIndex]);

  useEffect(() => {
    if (!byChange || changes) return;
    modelApi.changes(iModelId, changesetIndex).then(
      (data) => setChanges({ data }),
      (e) => setChanges({ error: e }),
    );
  }, [byChange, changes, iModelId, changesetIndex]);

  const changeKinds = useMemo(() => {
    if (!changes?.data) return undefined;
    const kinds = new Map<string, ChangeKind>();
    // Only elements with graphics count: the legend counts what can be seen (storeys, types and the like cannot).
    const shown = new Set(loaded?.elements.map((e) => e.id));
    for (const id of changes.data.inserted) if (shown.has(id)) kinds.set(id, 'inserted');
    for (const u of changes.data.updated) if (shown.has(u.id)) kinds.set(u.id, 'updated');
    return kinds;
  }, [changes, loaded]);
  const count = (kind: ChangeKind) => [...(changeKinds?.values() ?? [])].filter((k) => k === kind).length;
  useEffect(() => loaded?.scene.colourByChange(byChange ? changeKinds : undefined), [loaded, byChange, changeKinds]);

  const toggleCategory = (category: ModelCategory, show: boolean) => {
    if (!loaded) return;
    loaded.scene.setVisible(
      loaded.elements.filter((e) => e.category.id === category.id).map((e) => e.id),
      show,
    );
    setHidden((previous) => {
      const next = new Set(previous);
      if (show) next.delete(category.id);
      else next.add(category.id);
      return next;
    });
  };

  return (
    <div className="ts-model-view">
      <Problem error={error} title="The model could not be shown" />
      <Flex gap="s" className="ts-model-toolbar" role="toolbar" aria-label="3D view controls">
        <Button size="small" onClick={() => loaded?.scene.fit()} disabled={!loaded}>
          Fit view
        </Button>
        <Button
          size="small"
          onClick={() => {
            setSelected(undefined);
            setByChange(false);
            loaded?.scene.fit();
          }}
          disabled={!loaded}
        >
          Reset
        </Button>
        <ToggleSwitch
          label="Colour by change since the previous version"
          checked={byChange}
          onChange={(e) => setByChange(e.target.checked)}
          disabled={!loaded}
        />
      </Flex>
      {byChange && (
        <Flex gap="m" className="ts-legend" aria-label="Change colours">
          {LEGEND.map(({ kind, label: text }) => (
            <span key={kind}>
              <span className="ts-swatch" style={{ background: loaded?.colours[kind] }} aria-hidden="true" /> {text}
              {changeKinds && kind !== 'unchanged' ? ` (${count(kind)})` : ''}
            </span>
          ))}
          {changes?.data?.unrecordedChangesets?.length ? <Text isMuted>Some changesets recorded no changes: unknown for those.</Text> : null}
          <Problem error={changes?.error} title="Changes" />
        </Flex>
      )}
      <div className="ts-model-body">
        <div className="ts-canvas-box">
          <canvas
            ref={canvas}
            className="ts-canvas"
            tabIndex={0}
            aria-label={`3D model of ${label}: drag to orbit, right-drag or arrow keys to pan, wheel to zoom, click to select an element`}
            data-loaded={loaded ? 'true' : 'false'}
            data-node-count={loaded?.nodeCount}
            onClick={(event) => loaded && setSelected(loaded.scene.pick(event.clientX, event.clientY))}
          />
          {!loaded && !error && (
            <Flex className="ts-canvas-wait" gap="s">
              <ProgressRadial indeterminate size="small" /> <Text>Loading the model of {label}…</Text>
            </Flex>
          )}
        </div>
        <aside className="ts-model-side">
          {loaded && (
            <Fieldset legend="Categories" className="ts-categories">
              {loaded.categories.map((category) => (
                <Checkbox
                  key={category.id}
                  label={`${category.label ?? category.name} (${category.elementCount})`}
                  checked={!hidden.has(category.id)}
                  onChange={(e) => toggleCategory(category, e.target.checked)}
                />
              ))}
            </Fieldset>
          )}
          {details?.element && <ElementPanel element={details.element} />}
          <Problem error={details?.error} title="Element" />
        </aside>
      </div>
    </div>
  );
}
