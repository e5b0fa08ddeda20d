import { Anchor } from '@itwin/itwinui-react';
import { type ComponentProps, type MouseEvent, useEffect, useState } from 'react';

/**
 * The page's own screens are paths under /app/ (the service answers index.html for each: the SPA
 * fallback), so that every screen has an address one can bookmark, share and open in a new tab.
 * History is the browser's; this is all the routing the page needs.
 */
const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');

/** The address of a screen: `to('itwins', id)` → `/app/itwins/<id>`. */
export function to(...segments: string[]): string {
  return `${BASE}/${segments.map(encodeURIComponent).join('/')}`;
}

export interface Location {
  /** The screen's path without /app/, split into decoded segments. */
  segments: string[];
  search: URLSearchParams;
}

function current(): Location {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : window.location.pathname;
  return {
    segments: path
      .split('/')
      .filter(Boolean)
      .map((segment) => decodeURIComponent(segment)),
    search: new URLSearchParams(window.location.search),
  };
}

const CHANGE = 'twinsync:navigate';

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(CHANGE));
  // A new screen starts at its top, as a new page would.
  window.scrollTo(0, 0);
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return location;
}

/** A real link (it opens in a new tab, it is read as a link), that changes screens without reloading the page. */
export function Link({ href, onClick, ...props }: ComponentProps<typeof Anchor> & { href: string }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return <Anchor href={href} onClick={follow} {...props} />;
}
