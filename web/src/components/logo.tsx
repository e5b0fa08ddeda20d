/** The page's mark: a T on the platform's blue (also the favicon, web/public/favicon.svg). */
export function Logo() {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="6" fill="#0073ba" />
      <path d="M9 11h14v3h-5.5v10h-3V14H9z" fill="#fff" />
      <circle cx="23" cy="22" r="3" fill="#8cd2ff" />
    </svg>
  );
}
