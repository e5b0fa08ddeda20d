import { Button, Checkbox, Fieldset, Flex, ProgressRadial, Text, ToggleSwitch } from '@itwin/itwinui-react';
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
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
    twinsyncModelView?: {
      elementIds: () => string[];
      screenPoint: (id: string) => { x: number; y: number } | undefined;
      /** Where the camera is and looks: a keyboard move changes it. */
      view: () => { position: number[]; target: number[] };
    };
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
  const [cursor, setCursor] = useState<string>();
  const [announcement, setAnnouncement] = useState('');

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
      window.twinsyncModelView = { elementIds: () => current.elementIds, screenPoint: (id) => current.screenPoint(id), view: () => current.view() };
      setLoaded({ scene, colours: { ...module.CHANGE_COLOURS }, elements, categories, nodeCount });
    })().catch((e) => !abort.signal.aborted && setError(e));
    return () => {
      abort.abort();
      scene?.dispose();
      window.twinsyncModelView = undefined;
    };
  }, [iModelId, changesetIndex]);

  useEffect(() => loaded?.scene.setCursor(cursor), [loaded, cursor]);

  // The order the keyboard steps through elements: by category, then label, as the side panel lists
  // categories; hidden ones are skipped (they cannot be seen, nor clicked).
  const keyboardOrder = useMemo(() => {
    if (!loaded) return [];
    const shown = new Set(loaded.scene.elementIds);
    return loaded.elements
      .filter((e) => shown.has(e.id) && !hidden.has(e.category.id))
      .sort((a, b) => a.category.name.localeCompare(b.category.name) || (a.label ?? '').localeCompare(b.label ?? '') || a.id.localeCompare(b.id));
  }, [loaded, hidden]);
  const byId = useMemo(() => new Map(loaded?.elements.map((e) => [e.id, e])), [loaded]);

  const onKey = (event: KeyboardEvent<HTMLCanvasElement>) => {
    if (!loaded || event.altKey || event.ctrlKey || event.metaKey) return;
    const scene = loaded.scene;
    const step = Math.PI / 24; // 7.5° an arrow press
    const goTo = (direction: 1 | -1) => {
      if (!keyboardOrder.length) return setAnnouncement('No element is shown.');
      const at = keyboardOrder.findIndex((e) => e.id === cursor);
      const next =
        keyboardOrder[at === -1 ? (direction === 1 ? 0 : keyboardOrder.length - 1) : (at + direction + keyboardOrder.length) % keyboardOrder.length]!;
      setCursor(next.id);
      setAnnouncement(`${describe(next)}, ${keyboardOrder.indexOf(next) + 1} of ${keyboardOrder.length}. Enter selects it.`);
    };
    const actions: Record<string, () => void> = {
      ArrowLeft: () => (event.shiftKey ? scene.pan(-0.05, 0) : scene.orbit(step, 0)),
      ArrowRight: () => (event.shiftKey ? scene.pan(0.05, 0) : scene.orbit(-step, 0)),
      ArrowUp: () => (event.shiftKey ? scene.pan(0, 0.05) : scene.orbit(0, step)),
      ArrowDown: () => (event.shiftKey ? scene.pan(0, -0.05) : scene.orbit(0, -step)),
      '+': () => scene.zoom(0.8),
      '=': () => scene.zoom(0.8),
      '-': () => scene.zoom(1.25),
      _: () => scene.zoom(1.25),
      f: () => {
        scene.fit();
        setAnnouncement('View fitted to what is shown.');
      },
      n: () => goTo(1),
      p: () => goTo(-1),
      Enter: () => {
        if (!cursor) return setAnnouncement('No element to select: press N for the next one.');
        setSelected(cursor);
        const element = byId.get(cursor);
        setAnnouncement(element ? `Selected ${describe(element)}.` : 'Selected.');
      },
      Escape: () => {
        if (!selected && !cursor) return;
        setSelected(undefined);
        setCursor(undefined);
        setAnnouncement('Selection cleared.');
      },
    };
    const action = actions[event.key.length === 1 ? event.key.toLowerCase() : event.key]; // F and f, N and n: Shift does not matter
    if (!action) return;
    event.preventDefault(); // arrows would scroll the page, Enter and Escape reach other handlers
    action();
  };

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
            setCursor(undefined);
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
        <div className="ts-canvas-column">
          <div className="ts-canvas-box">
            <canvas
              ref={canvas}
              className="ts-canvas"
              tabIndex={0}
              role="application"
              aria-roledescription="3D view"
              aria-label={`3D model of ${label}`}
              aria-describedby="ts-view-keys"
              data-loaded={loaded ? 'true' : 'false'}
              data-node-count={loaded?.nodeCount}
              onClick={(event) => {
                if (!loaded) return;
                const picked = loaded.scene.pick(event.clientX, event.clientY);
                setSelected(picked);
                setCursor(picked);
              }}
              onKeyDown={onKey}
            />
            {!loaded && !error && (
              <Flex className="ts-canvas-wait" gap="s">
                <ProgressRadial indeterminate size="small" /> <Text>Loading the model of {label}…</Text>
              </Flex>
            )}
          </div>
          <p id="ts-view-keys" className="ts-view-keys">
            <Text as="span" variant="small">
              Mouse: drag to orbit, right-drag to pan, wheel to zoom, click to select. Keys, with the view focused: arrows orbit, Shift+arrows pan, <kbd>+</kbd>{' '}
              / <kbd>−</kbd> zoom, <kbd>F</kbd> fits the view, <kbd>N</kbd> / <kbd>P</kbd> go to the next / previous element, <kbd>Enter</kbd> selects it,{' '}
              <kbd>Esc</kbd> clears the selection.
            </Text>
          </p>
          <div className="ts-visually-hidden" aria-live="polite" aria-atomic="true" data-testid="view-announcement">
            {announcement}
          </div>
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

/** An element as a screen reader says it: its class (without the schema), then its name. */
function describe(element: ModelElement): string {
  const className = element.className.split(':').pop() ?? element.className;
  return element.label ? `${className} “${element.label}”` : `${className} ${element.id}`;
}
