import { createIModel } from './domain/imodels/create-imodel.js';
import { createITwin } from './domain/itwins/create-itwin.js';
import { createFileWithContent } from './domain/storage/create-file-with-content.js';
import type { Store } from './store/store.js';

export interface DemoRecords {
  iTwinId: string;
  iModelId: string;
  storageFileId: string;
}

const DEMO_IFC = `ISO-10303-21;
HEADER;
FILE_DESCRIPTION(('twinsync demo'),'2;1');
FILE_NAME('demo.ifc','2026-01-01T00:00:00',(''),(''),'twinsync','twinsync','');
FILE_SCHEMA(('IFC4'));
ENDSEC;
DATA;
#1=IFCPROJECT('0YvctVUKr0kugbFTf53O9L',$,'Demo project',$,$,$,$,$,$);
ENDSEC;
END-ISO-10303-21;
`;

/**
 * Until the iTwins, iModels and Storage APIs are served, `npm start` puts one demo iTwin (with the
 * default client's user as member), iModel and completed storage file into an empty store, so that
 * the quickstart can create a connection. A store that already has iTwins is left alone.
 */
export async function seedDemo(store: Store, dataDir: string, subject: string): Promise<DemoRecords | undefined> {
  const any = await store.db.selectFrom('itwins').select('id').limit(1).executeTakeFirst();
  if (any) return undefined;
  const itwin = await createITwin(store, subject, { displayName: 'Demo iTwin' });
  const imodel = await createIModel(store, subject, { iTwinId: itwin.id, name: 'Demo iModel' });
  const file = await createFileWithContent(store, dataDir, subject, itwin, 'demo.ifc', Buffer.from(DEMO_IFC));
  return { iTwinId: itwin.id, iModelId: imodel.id, storageFileId: file.id };
}
