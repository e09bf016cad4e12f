/**
 * @module The static assets every page shares: one stylesheet with a light and
 * a dark theme. It is served by the Worker from this module on every host, at
 * a path whose query names its content, so it can be cached for a year.
 */

/** Light theme by default; the dark theme follows the system's preference. Colours meet WCAG AA in both. */
export const APP_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff;
  --fg: #1b1b1f;
  --muted: #55555f;
  --surface: #f3f3f6;
  --border: #c8c8d0;
  --link: #0b57d0;
  --error: #b00020;
  --focus: #0b57d0;
  --button-bg: #0b57d0;
  --button-fg: #ffffff;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #17171b;
    --fg: #ececf1;
    --muted: #b4b4be;
    --surface: #26262c;
    --border: #4a4a55;
    --link: #8ab4f8;
    --error: #ff8a80;
    --focus: #8ab4f8;
    --button-bg: #8ab4f8;
    --button-fg: #0b1b33;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--fg);
  font: 16px/1.5 system-ui, sans-serif;
}
header, main, footer { max-width: 44rem; margin: 0 auto; padding: 0 1rem; }
header { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; align-items: baseline; padding-top: 1rem; padding-bottom: 0.75rem; border-bottom: 1px solid var(--border); }
header .product { font-weight: 600; color: var(--fg); text-decoration: none; }
header .org { color: var(--muted); }
main { padding-top: 1rem; padding-bottom: 2rem; overflow-wrap: anywhere; }
footer { padding-top: 0.75rem; padding-bottom: 1.5rem; border-top: 1px solid var(--border); color: var(--muted); font-size: 0.9rem; }
h1 { font-size: 1.6rem; line-height: 1.25; }
a { color: var(--link); }
code, pre { background: var(--surface); border-radius: 4px; padding: 0.1rem 0.3rem; }
pre { padding: 0.75rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
label { display: block; margin-top: 0.8rem; font-weight: 600; }
input {
  width: 100%;
  padding: 0.45rem;
  font: inherit;
  color: var(--fg);
  background: var(--bg);
  border: 1px solid var(--border);
  border-radius: 4px;
}
.hint { color: var(--muted); font-size: 0.9rem; font-weight: normal; }
.error { color: var(--error); }
.warning { border-left: 4px solid var(--error); padding: 0.5rem 0.75rem; background: var(--surface); }
button.secondary { color: var(--fg); background: transparent; border-color: var(--border); }
details { margin: 0.5rem 0; }
summary { cursor: pointer; }
button {
  margin-top: 1.2rem;
  margin-right: 0.5rem;
  padding: 0.6rem 1.2rem;
  font: inherit;
  cursor: pointer;
  color: var(--button-fg);
  background: var(--button-bg);
  border: 1px solid var(--button-bg);
  border-radius: 4px;
}
a:focus-visible, button:focus-visible, input:focus-visible {
  outline: 3px solid var(--focus);
  outline-offset: 2px;
}
`;

/** A short FNV-1a digest of the stylesheet: a new stylesheet gets a new URL. */
function contentVersion(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

export const APP_CSS_PATH = "/assets/app.css";

/** Where pages link the stylesheet. */
export const APP_CSS_URL = `${APP_CSS_PATH}?v=${contentVersion(APP_CSS)}`;

/** The stylesheet as a response: a year's cache, since its URL changes with its content. */
export function stylesheetResponse(): Response {
  return new Response(APP_CSS, {
    status: 200,
    headers: {
      "content-type": "text/css; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    },
  });
}
