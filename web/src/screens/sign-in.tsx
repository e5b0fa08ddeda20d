import { Alert, Anchor, Button, Flex, NonIdealState, Text } from '@itwin/itwinui-react';
import { useState } from 'react';
import { beginSignIn } from '../auth/oidc';
import { webAppSettings } from '../auth/settings';
import { SvgRedirect } from '@itwin/itwinui-illustrations-react';
import { describeError, Problem } from '../components/problem';
import { useResource } from '../use-resource';

/**
 * Nobody is signed in in this tab. Sign-in leaves for the OpenID provider (the service's own login
 * page, or the external provider it trusts) and comes back to /app/callback.
 */
export function SignInScreen() {
  const settings = useResource('settings', () => webAppSettings());
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<unknown>();
  const here = `${window.location.pathname}${window.location.search}`;
  const data = settings.data;
  const wrongOrigin = data && new URL(data.redirectUri).origin !== window.location.origin;
  return (
    <NonIdealState
      svg={<SvgRedirect />}
      heading="Sign in to twinsync"
      titleProps={{ role: 'heading', 'aria-level': 1 }}
      description={
        <Flex flexDirection="column" gap="s" alignItems="center">
          <Text>
            Watch and drive the synchronization of your iTwins: upload files, connect them to iModels, run the connections and follow each run as it happens.
          </Text>
          {settings.error ? <Problem error={settings.error} /> : null}
          {data && !data.clientId && (
            <Alert type="warning">Sign-in is not configured for this service: its operator sets WEB_APP_CLIENT_ID (docs/web-app.md).</Alert>
          )}
          {wrongOrigin && (
            <Alert type="warning">
              Sign-in returns to <Anchor href={`${data.apiUrl}/app/`}>{data.apiUrl}/app/</Anchor>: open the page there.
            </Alert>
          )}
          {error ? <Alert type="negative">{describeError(error)}</Alert> : null}
        </Flex>
      }
      actions={
        <Button
          styleType="high-visibility"
          disabled={!data?.clientId || starting}
          loading={starting}
          onClick={() => {
            setStarting(true);
            beginSignIn(data!, here).catch((e: unknown) => {
              setError(e);
              setStarting(false);
            });
          }}
        >
          Sign in
        </Button>
      }
    />
  );
}
