/** GET /app/config.json: where the page signs people in (src/http/routes/web-app/web-app-settings.ts). */
export interface WebAppSettings {
  /** PUBLIC_URL: every API call goes there. */
  apiUrl: string;
  issuer: 'builtin' | 'external';
  /** The OpenID provider; its discovery document is `{authority}/.well-known/openid-configuration`. */
  authority: string;
  /** The public client the page signs in as; null when the service has none configured. */
  clientId: string | null;
  scope: string;
  redirectUri: string;
}

let loaded: Promise<WebAppSettings> | undefined;

/** Read once per page load: the service may be reconfigured between loads, not during one. */
export function webAppSettings(): Promise<WebAppSettings> {
  loaded ??= fetch(`${import.meta.env.BASE_URL}config.json`, { headers: { accept: 'application/json' } }).then(async (response) => {
    if (!response.ok) throw new Error(`The service did not give the page its settings (HTTP ${response.status}).`);
    return (await response.json()) as WebAppSettings;
  });
  return loaded;
}
