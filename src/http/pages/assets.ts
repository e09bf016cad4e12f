/**
 * @module The static assets every page shares: one stylesheet with a light and
 * a dark theme, and one small script for copy buttons and busy states. Both
 * are served by the Worker from this module on every host, at a path whose
 * query names their content, so they can be cached for a year. Pages work
 * without the script: it only adds what a form or a link cannot do.
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
.copy-row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.copy-row > code, .copy-row > pre { flex: 1 1 16rem; margin: 0; }
.copy-row > button { margin: 0; }
button[aria-busy="true"] { cursor: progress; opacity: 0.75; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
/* The admin console's navigation. */
.console-nav { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; justify-content: space-between; border-bottom: 1px solid var(--border); padding-bottom: 0.5rem; }
.console-nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; margin: 0; padding: 0; }
.console-nav a[aria-current="page"] { font-weight: 600; color: var(--fg); text-decoration-thickness: 3px; }
.console-sign-out { display: flex; gap: 0.5rem; align-items: center; }
.console-sign-out button { margin: 0; }
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
/* Signup: steps, fields with their errors, the error summary, the result checklist, links styled as buttons. */
.step { margin: 1.5rem 0 0; padding: 0; border: 0; }
.step > legend { padding: 0; }
.step h2, .checklist h2 { font-size: 1.2rem; margin: 0 0 0.5rem; }
.field { margin-top: 1rem; }
.field > label { margin-top: 0; }
.field > .hint { margin: 0.15rem 0 0.35rem; }
.field-error { margin: 0.25rem 0; color: var(--error); font-weight: 600; }
.field-note { display: block; color: var(--fg); }
input[aria-invalid="true"] { border: 2px solid var(--error); }
.error-summary { margin: 1rem 0; padding: 0.75rem 1rem; border: 3px solid var(--error); border-radius: 4px; }
.error-summary h2 { font-size: 1.2rem; margin: 0 0 0.5rem; }
.error-summary ul { margin: 0; padding-left: 1.2rem; }
.error-summary a { color: var(--error); font-weight: 600; }
.error-summary:focus { outline: 3px solid var(--focus); outline-offset: 2px; }
.preview { margin: 0.4rem 0 0; }
.available { color: var(--fg); }
.unavailable { color: var(--error); font-weight: 600; }
.checklist { padding-left: 1.4rem; }
.checklist > li { margin-top: 1.5rem; }
.checklist > li::marker { font-weight: 600; font-size: 1.2rem; }
a.button {
  display: inline-block;
  padding: 0.6rem 1.2rem;
  color: var(--button-fg);
  background: var(--button-bg);
  border: 1px solid var(--button-bg);
  border-radius: 4px;
  text-decoration: none;
  font-weight: 600;
}
a.button.secondary { color: var(--fg); background: transparent; border-color: var(--border); font-weight: normal; }
.copy-row > a.button { margin: 0; }
a.button[hidden] { display: none; }
/* The admin console's Users page: a card per user, a list of their clients, facts as label/value pairs that stack at 390 px. */
.user-card { border-top: 1px solid var(--border); margin-top: 1.5rem; }
.user-card h2 { margin-bottom: 0.25rem; }
.user-card h3 { font-size: 1.05rem; margin: 1rem 0 0.25rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.25rem 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
@media (max-width: 30rem) { .facts { grid-template-columns: 1fr; } .facts dd { margin-bottom: 0.4rem; } }
.client-list { list-style: none; padding: 0; margin: 0; }
.client-list .client { background: var(--surface); border-radius: 4px; padding: 0.5rem 0.75rem; margin: 0.5rem 0; }
.client-list .client p { margin: 0 0 0.25rem; }
.client-list .client form button { margin-top: 0.5rem; }
.badge { display: inline-block; border: 1px solid var(--error); color: var(--error); border-radius: 4px; padding: 0 0.35rem; font-size: 0.85rem; }
.notice { border-left: 4px solid var(--focus); padding: 0.5rem 0.75rem; background: var(--surface); }
label.check { display: flex; gap: 0.5rem; align-items: flex-start; font-weight: normal; }
label.check input { width: auto; margin-top: 0.3rem; }
/* Tenant landing page: one disclosure per AI client, install links, the tools list. */
details.connect-client { border: 1px solid var(--border); border-radius: 4px; padding: 0.5rem 0.75rem; }
details.connect-client > summary { font-weight: 600; padding: 0.25rem 0; }
details.connect-client[open] > summary { margin-bottom: 0.5rem; }
details.connect-client ol { padding-left: 1.25rem; }
details.connect-client .copy-row { margin: 0.5rem 0; }
summary:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
a.install-link { display: inline-block; padding: 0.5rem 1rem; border: 1px solid var(--link); border-radius: 4px; font-weight: 600; text-decoration: none; }
.policy-status { border-left: 4px solid var(--border); padding: 0.5rem 0.75rem; background: var(--surface); }
.policy-status.read-only { border-left-color: var(--link); }
ul.tool-groups > li { margin: 0.4rem 0; }
/* The admin console's pages: checklist states in words with a colour cue, check-box rows, inline forms, notes. */
.console-checklist { list-style: none; padding: 0; }
.console-item { border: 1px solid var(--border); border-radius: 6px; padding: 0 1rem 0.75rem; margin: 0.75rem 0; }
.console-item h2 { font-size: 1.15rem; display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: baseline; }
.console-state { font-size: 0.85rem; font-weight: 600; padding: 0.1rem 0.5rem; border-radius: 999px; border: 2px solid currentColor; }
.console-state-done { color: var(--fg); }
.console-state-todo { color: var(--error); }
.console-state-unsure { color: var(--muted); border-style: dashed; }
.console-flash { border-left: 4px solid var(--link); padding: 0.5rem 0.75rem; background: var(--surface); }
.console-check { display: flex; gap: 0.5rem; align-items: flex-start; margin-top: 0.6rem; }
.console-check input { width: auto; margin-top: 0.35rem; }
.console-check label { margin-top: 0; }
.console-check .hint { display: block; }
fieldset { border: 1px solid var(--border); border-radius: 4px; margin: 1rem 0 0; padding: 0.25rem 0.75rem 0.75rem; }
legend { font-weight: 600; padding: 0 0.25rem; }
.console-inline { display: inline; }
.console-inline button { margin: 0.25rem 0 0; padding: 0.25rem 0.75rem; }
.console-admins li, .console-alerts li, .console-tools li { margin: 0.5rem 0; }
a.button { display: inline-block; padding: 0.6rem 1.2rem; color: var(--button-fg); background: var(--button-bg); border-radius: 4px; text-decoration: none; }
button.danger { background: var(--error); border-color: var(--error); color: var(--bg); }
.console-form input[aria-invalid="true"] { outline: 2px solid var(--error); outline-offset: 1px; }
/* The console's Audit and Usage pages: filter fields in a grid, tables that stack into labelled rows on a phone. */
select { width: 100%; padding: 0.45rem; font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--border); border-radius: 4px; }
.console-form select[aria-invalid="true"] { outline: 2px solid var(--error); outline-offset: 1px; }
.audit-filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: 0 1rem; }
.audit-actions { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: center; margin: 1rem 0; }
.audit-table { width: 100%; border-collapse: collapse; margin: 1rem 0; font-size: 0.95rem; }
.audit-table caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
.audit-table th, .audit-table td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--border); }
.audit-table .num { text-align: right; }
@media (max-width: 40rem) {
  .audit-table thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  .audit-table tr { display: block; padding: 0.4rem 0; border-bottom: 1px solid var(--border); }
  .audit-table td, .audit-table .num { display: flex; gap: 0.75rem; padding: 0.1rem 0; border: 0; text-align: left; }
  .audit-table td::before { content: attr(data-label); flex: 0 0 8.5rem; font-weight: 600; color: var(--muted); }
}
/* The console's "Verify setup" report: a fix may hold a long link, which wraps instead of widening the page. */
.verify-fix { overflow-wrap: anywhere; }
/* Signup's credential choice: each option's explanation on its own line under its name. */
label.check .hint { display: block; margin-top: 0.15rem; }
/* The console's certificates: a 40-character thumbprint wraps on a phone instead of widening the page. */
.console-item h3 code { overflow-wrap: anywhere; }
`;

/**
 * The pages' one script, loaded with `defer` by the layout. Conventions:
 * - `<button type="button" data-copy="ID" hidden>Copy</button>`: copies the
 *   text of the element with that id (an input's value) and says "Copied" in
 *   the page's status region. Rendered `hidden`, shown only where the
 *   Clipboard API is there to do the work.
 * - `<form data-busy="Checking with Microsoft…">`: on submit, its submit
 *   button is disabled, marked `aria-busy` and shows that label, so a slow
 *   answer is not sent twice.
 * - `<a data-download="file.txt" data-from="ID">`: downloads the text of
 *   the element with that id as a file.
 */
export const APP_JS = `"use strict";
(() => {
  const status = document.getElementById("page-status");
  const say = (text) => {
    if (!status) return;
    status.textContent = "";
    setTimeout(() => { status.textContent = text; }, 50);
  };
  const textOf = (id) => {
    const el = document.getElementById(id);
    if (!el) return "";
    return "value" in el && typeof el.value === "string" ? el.value : el.textContent.trim();
  };
  if (navigator.clipboard) {
    for (const button of document.querySelectorAll("button[data-copy]")) {
      button.hidden = false;
      const label = button.textContent;
      button.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(textOf(button.dataset.copy));
          button.textContent = "Copied";
          say("Copied to the clipboard");
        } catch {
          say("Could not copy; select the text and copy it yourself");
        }
        setTimeout(() => { button.textContent = label; }, 2000);
      });
    }
  }
  for (const link of document.querySelectorAll("a[data-download][data-from]")) {
    link.hidden = false;
    link.addEventListener("click", () => {
      const blob = new Blob([textOf(link.dataset.from) + "\\n"], { type: "text/plain" });
      link.href = URL.createObjectURL(blob);
      link.download = link.dataset.download;
    });
  }
  for (const form of document.querySelectorAll("form[data-busy]")) {
    form.addEventListener("submit", (event) => {
      if (event.defaultPrevented) return;
      const button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
      if (!button) return;
      button.dataset.label = button.textContent;
      button.textContent = form.dataset.busy;
      button.setAttribute("aria-busy", "true");
      // Disabled after the submission has captured the button's name and value.
      setTimeout(() => { button.disabled = true; }, 0);
    });
  }
})();
`;

/** A short FNV-1a digest of an asset: a new stylesheet or script gets a new URL. */
export function contentVersion(text: string): string {
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

export const APP_JS_PATH = "/assets/app.js";

/** Where pages load the script. */
export const APP_JS_URL = `${APP_JS_PATH}?v=${contentVersion(APP_JS)}`;

/** The stylesheet as a response: a year's cache, since its URL changes with its content. */
export function stylesheetResponse(): Response {
  return assetResponse(APP_CSS, "text/css; charset=utf-8");
}

/** The script as a response, cached like the stylesheet. */
export function scriptResponse(): Response {
  return assetResponse(APP_JS, "text/javascript; charset=utf-8");
}

function assetResponse(body: string, contentType: string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": contentType,
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    },
  });
}
