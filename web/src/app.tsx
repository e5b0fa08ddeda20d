import { SvgHelpCircularHollow } from '@itwin/itwinui-icons-react';
import { Svg404 } from '@itwin/itwinui-illustrations-react';
import { Button, Header, HeaderLogo, IconButton, NonIdealState, SkipToContentLink, Text } from '@itwin/itwinui-react';
import { useEffect, useState } from 'react';
import { signOut } from './auth/oidc';
import { claimsOf, onSessionChange, readSession } from './auth/session';
import { webAppSettings } from './auth/settings';
import { Logo } from './components/logo';
import { Link, navigate, to, useLocation } from './router';
import { CallbackScreen } from './screens/callback';
import { ConnectionScreen } from './screens/connection';
import { IModelScreen } from './screens/imodel';
import { ITwinScreen } from './screens/itwin';
import { ITwinsScreen } from './screens/itwins';
import { ManifestConnectionScreen } from './screens/manifest-connection';
import { RunScreen } from './screens/run';
import { SignInScreen } from './screens/sign-in';

function useSession() {
  const [session, setSession] = useState(readSession);
  useEffect(() => onSessionChange(() => setSession(readSession())), []);
  return session;
}

/** The page: its header, and the screen its address names (router.tsx). */
export function App() {
  const location = useLocation();
  const session = useSession();
  const s = location.segments;
  let screen: JSX.Element;
  if (s[0] === 'callback') screen = <CallbackScreen search={location.search} />;
  else if (!session) screen = <SignInScreen />;
  else if (s.length === 0 || (s.length === 1 && s[0] === 'itwins')) screen = <ITwinsScreen />;
  else if (s[0] === 'itwins' && s[1] && s.length <= 3) screen = <ITwinScreen iTwinId={s[1]} tab={s[2]} />;
  else if (s[0] === 'itwins' && s[1] && s[2] === 'imodels' && s[3] && s.length <= 5)
    screen = <IModelScreen iTwinId={s[1]} iModelId={s[3]} tab={s[4]} search={location.search} />;
  else if (s[0] === 'itwins' && s[1] && s[2] === 'imodels' && s[3] && s[4] === 'connections' && s[5] && s.length === 6)
    screen = <ConnectionScreen iTwinId={s[1]} iModelId={s[3]} connectionId={s[5]} />;
  else if (s[0] === 'itwins' && s[1] && s[2] === 'imodels' && s[3] && s[4] === 'connections' && s[5] && s[6] === 'runs' && s[7])
    screen = <RunScreen iTwinId={s[1]} iModelId={s[3]} connectionId={s[5]} runId={s[7]} taskId={s[8] === 'tasks' ? s[9] : undefined} />;
  else if (s[0] === 'itwins' && s[1] && s[2] === 'imodels' && s[3] && s[4] === 'manifest-connections' && s[5] && s.length === 6)
    screen = <ManifestConnectionScreen iTwinId={s[1]} iModelId={s[3]} connectionId={s[5]} />;
  else if (s[0] === 'itwins' && s[1] && s[2] === 'imodels' && s[3] && s[4] === 'manifest-connections' && s[5] && s[6] === 'runs' && s[7])
    screen = <RunScreen iTwinId={s[1]} iModelId={s[3]} connectionId={s[5]} runId={s[7]} taskId={s[8] === 'tasks' ? s[9] : undefined} kind="manifest" />;
  else
    screen = (
      <NonIdealState
        svg={<Svg404 />}
        heading="Nothing here"
        titleProps={{ role: 'heading', 'aria-level': 1 }}
        description="This address names no screen of the page."
        actions={<Button onClick={() => navigate(to())}>Go to your iTwins</Button>}
      />
    );

  const claims = session ? claimsOf(session.accessToken) : {};
  const who = String(claims.email ?? claims.name ?? claims.sub ?? '');
  return (
    <>
      <SkipToContentLink href="#main" />
      <Header
        appLogo={
          <HeaderLogo logo={<Logo />} as={Link} href={to()}>
            twinsync
          </HeaderLogo>
        }
        actions={[
          <IconButton key="docs" as="a" href="/docs" target="_blank" rel="noreferrer" label="API reference (opens in a new tab)" styleType="borderless">
            <SvgHelpCircularHollow />
          </IconButton>,
          ...(session
            ? [
                <Text key="who" className="ts-who" title="Signed in as">
                  {who}
                </Text>,
                <Button key="out" styleType="borderless" onClick={() => void webAppSettings().then(signOut, () => signOut(undefined))}>
                  Sign out
                </Button>,
              ]
            : []),
        ]}
      />
      <main id="main" className="ts-main" tabIndex={-1}>
        {screen}
      </main>
    </>
  );
}
