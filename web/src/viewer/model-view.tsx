import { SvgIModelLoader } from '@itwin/itwinui-illustrations-react';
import { NonIdealState } from '@itwin/itwinui-react';

/** Which version of the iModel to show: a changeset by index (0: the baseline) or a named version. */
export type VersionRef = { changesetIndex: number; namedVersionId?: string; label: string };

/**
 * THE PLACE FOR THE 3D VIEW (issue 17, part b): the synchronized model of one version, from a
 * server-side export of the version's checkpoint (docs/web-app.md, "The 3D view"). The export and
 * its renderer come with that work; until then this says so, where the view will be, so that every
 * link to a version's 3D view (iModel screen, Versions tab) already leads here.
 *
 * What the view will need from the page is all here: the iModel and the version (`version`), and
 * `accessToken()` (api/client.ts) for the export's URL. Keep the view in this folder (viewer/),
 * loaded lazily (React.lazy) so that its renderer does not weigh on the other screens.
 */
export function ModelView({ iModelId, version }: { iModelId: string; version: VersionRef | undefined }) {
  return (
    <section className="ts-viewport" aria-label="3D view" data-imodel={iModelId} data-changeset-index={version?.changesetIndex}>
      <NonIdealState
        svg={<SvgIModelLoader />}
        heading={version ? `3D view of ${version.label}` : '3D view'}
        description={
          version
            ? 'The 3D view of a version comes with the server-side export of versions, which is not part of this service yet.'
            : 'Pick a version in the Versions tab to view it in 3D, once the service exports versions.'
        }
      />
    </section>
  );
}
