import { Button, NonIdealState, ProgressRadial } from '@itwin/itwinui-react';
import { useEffect, useState } from 'react';
import { completeSignIn } from '../auth/oidc';
import { webAppSettings } from '../auth/settings';
import { SvgError } from '@itwin/itwinui-illustrations-react';
import { describeError } from '../components/problem';
import { navigate, to } from '../router';

/** Where the consent page returns (connection screen) keeps the screen to go back to. */
export const CONSENT_RETURN_KEY = 'twinsync.consent.returnTo';

/** One redemption per code, however often the screen is mounted (React's strict mode mounts it twice in development). */
const redeeming = new Map<string, Promise<string>>();

/**
 * /app/callback: the redirect URI. With `state` it is the OpenID provider's answer to a sign-in;
 * without, the consent page of a User connection returning (it adds `error=access_denied` when
 * the user declined), which needs nothing but going back where the user was.
 */
export function CallbackScreen({ search }: { search: URLSearchParams }) {
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!search.has('state')) {
      const back = sessionStorage.getItem(CONSENT_RETURN_KEY) ?? to();
      sessionStorage.removeItem(CONSENT_RETURN_KEY);
      if (search.get('error') === 'access_denied') setError('You declined: runs of User connections you own will end UserNotAuthenticated.');
      else navigate(back, { replace: true });
      return;
    }
    let cancelled = false;
    const code = search.get('code') ?? search.get('error') ?? '';
    let redemption = redeeming.get(code);
    if (!redemption) {
      redemption = webAppSettings().then((settings) => completeSignIn(settings, search));
      redeeming.set(code, redemption);
    }
    redemption.then(
      (returnTo) => !cancelled && navigate(returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : to(), { replace: true }),
      (e: unknown) => !cancelled && setError(describeError(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [search]);
  if (!error) return <ProgressRadial indeterminate aria-label="Signing in" />;
  return (
    <NonIdealState
      svg={<SvgError />}
      heading="Not signed in"
      titleProps={{ role: 'heading', 'aria-level': 1 }}
      description={error}
      actions={<Button onClick={() => navigate(to(), { replace: true })}>Back to the start</Button>}
    />
  );
}
