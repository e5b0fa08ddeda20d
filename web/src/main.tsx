import '@itwin/itwinui-react/styles.css';
import './page.css';
import { ThemeProvider } from '@itwin/itwinui-react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';

// The design system's styles are imported above, from the package: includeCss={false} keeps its
// ThemeProvider from ever fetching them from a CDN (docs/web-app.md, "Nothing from the network").
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ThemeProvider theme="os" includeCss={false} themeOptions={{ applyBackground: true }} className="ts-root">
      <App />
    </ThemeProvider>
  </StrictMode>,
);
