import { SvgIModelLoader } from '@itwin/itwinui-illustrations-react';
import { LabeledSelect, NonIdealState, ProgressRadial } from '@itwin/itwinui-react';
import { lazy, Suspense } from 'react';
import { ApiError, all, V2 } from '../api/client';
import { paths } from '../api/paths';
import type { NamedVersion } from '../api/types';
import { describeError, Problem } from '../components/problem';
import { navigate, to } from '../router';
import { useResource } from '../use-resource';
import { modelApi } from './model-api';

/** Which version of the iModel to show: a changeset by index (0: the baseline) or a named version. */
export type VersionRef = { changesetIndex: number; namedVersionId?: string; label: string };

// The canvas and everything it needs from three.js are fetched only when a model is shown.
const Viewport = lazy(() => import('./viewport').then((m) => ({ default: m.Viewport })));

/**
 * The 3D view of one version (docs/web-app.md, The 3D view): a picker of every changeset and named
 * version, then the version's model as the service exports it from its checkpoint
 * (docs/model-view.md). Without a version in the address, the newest changeset that has a model.
 */
export function ModelView({ iTwinId, iModelId, version }: { iTwinId: string; iModelId: string; version: VersionRef | undefined }) {
  const versions = useResource(`versions:${iModelId}`, async () => {
    const [changesets, named] = await Promise.all([
      modelApi.versions(iModelId),
      all<NamedVersion>(paths.namedVersions(iModelId), 'namedVersions', { accept: V2, prefer: 'return=representation' }),
    ]);
    return { changesets, named };
  });
  // Without a version in the address: the newest that has a model, as the service says in one
  // request (docs/model-view.md, model-versions), rather than trying versions (each try may export one).
  const latest = useResource(`latest-model:${iModelId}:${version ? 'given' : 'none'}`, () =>
    version ? Promise.resolve(undefined) : modelApi.latestWithModel(iModelId),
  );
  const fallback = { index: latest.data?.changesetIndex, searched: !version && !latest.loading && !latest.error };
  const hasModel = new Map(versions.data?.changesets.map((c) => [c.changesetIndex, c.model === 'available']));
  const noModel = (index: number) => (hasModel.get(index) === false ? ' (no model)' : '');

  const shown: VersionRef | undefined =
    version ?? (fallback.index !== undefined ? { changesetIndex: fallback.index, label: `version ${fallback.index}` } : undefined);
  const options = [
    ...(versions.data?.named ?? []).map((v) => ({
      value: `named:${v.id}`,
      label: `“${v.displayName}” (changeset ${v.changesetIndex})${noModel(v.changesetIndex)}`,
    })),
    ...(versions.data?.changesets ?? []).map((c) => ({
      value: `changeset:${c.changesetIndex}`,
      label: `Changeset ${c.changesetIndex}: ${c.description}${noModel(c.changesetIndex)}`,
    })),
  ];
  const value = shown && (shown.namedVersionId ? `named:${shown.namedVersionId}` : `changeset:${shown.changesetIndex}`);
  const pick = (picked: string) => {
    const [kind, id] = picked.split(':') as [string, string];
    const named = kind === 'named' ? versions.data?.named.find((v) => v.id === id) : undefined;
    const query = new URLSearchParams(named ? { changeset: String(named.changesetIndex), namedVersion: named.id, name: named.displayName } : { changeset: id });
    navigate(`${to('itwins', iTwinId, 'imodels', iModelId, 'view')}?${query}`);
  };

  return (
    <section className="ts-viewport-page" aria-label="3D view" data-imodel={iModelId} data-changeset-index={shown?.changesetIndex}>
      <Problem error={versions.error ?? latest.error} />
      <LabeledSelect
        label="Version"
        className="ts-version-picker"
        options={options}
        value={value}
        onChange={pick}
        placeholder={versions.loading ? 'Loading versions…' : 'Pick a version'}
        disabled={!options.length}
      />
      {versions.data && !versions.data.changesets.length ? (
        <div className="ts-model-message">
          <NonIdealState svg={<SvgIModelLoader />} heading="No version yet" description="Run a connection: each successful task adds a changeset to view." />
        </div>
      ) : shown ? (
        <VersionModel key={shown.changesetIndex} iModelId={iModelId} version={shown} />
      ) : fallback.searched ? (
        <div className="ts-model-message">
          <NonIdealState
            svg={<SvgIModelLoader />}
            heading="No version has a model"
            description="No changeset of this iModel has a checkpoint to show: their connectors wrote no iModel file (emulated connectors), or their checkpoints were pruned."
          />
        </div>
      ) : null}
    </section>
  );
}

/** Says first, in words, why a version has no model (409, 501), before loading the renderer for nothing. */
function VersionModel({ iModelId, version }: { iModelId: string; version: VersionRef }) {
  const probe = useResource(`model:${iModelId}:${version.changesetIndex}`, () => modelApi.categories(iModelId, version.changesetIndex));
  if (probe.loading && !probe.data) return <ProgressRadial indeterminate size="small" aria-label="Preparing the model" />;
  if (probe.error instanceof ApiError && (probe.error.status === 409 || probe.error.status === 501)) {
    return (
      <div className="ts-model-message">
        <NonIdealState
          svg={<SvgIModelLoader />}
          heading={probe.error.status === 409 ? `No model for ${version.label}` : 'The 3D view is not available on this server'}
          description={
            probe.error.status === 409
              ? `${describeError(probe.error)} Versions made by emulated connectors have no model to show; pick a version made by the IFC connector.`
              : `${describeError(probe.error)} The server exports models with iTwin.js, which is not installed here.`
          }
        />
      </div>
    );
  }
  if (probe.error) return <Problem error={probe.error} title="The model could not be shown" />;
  return (
    <Suspense fallback={<ProgressRadial indeterminate size="small" aria-label="Loading the 3D view" />}>
      <Viewport iModelId={iModelId} changesetIndex={version.changesetIndex} label={version.label} />
    </Suspense>
  );
}
