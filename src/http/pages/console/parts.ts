import { html } from "hono/html";

/** @module Small pieces the console's pages share: flash notes, field errors, times, status words. */

/** A note after a form's POST-redirect-GET, from fixed text only (never from the query). */
export function flashNote(text: string | undefined) {
  return text ? html`<p class="console-flash" role="status">${text}</p>` : html``;
}

/** The error text under a field, referenced by the field's `aria-describedby`. */
export function fieldError(id: string, message: string | undefined) {
  return message ? html`<p class="error" id="${id}-error">${message}</p>` : "";
}

/** The attributes that tie a field to its error, when it has one. */
export function invalidAttributes(id: string, message: string | undefined) {
  return message ? html`aria-invalid="true" aria-describedby="${id}-error"` : "";
}

/** A time as a reader sees it: the date and minute in UTC, machine-readable in `datetime`. */
export function timeOf(date: Date) {
  const iso = date.toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC</time>`;
}

export type ItemState = "done" | "todo" | "unsure";

const STATE_WORDS: Record<ItemState, string> = { done: "Done", todo: "Needs action", unsure: "Not confirmed yet" };

/** A status said in words (with a colour cue beside them, never colour alone). */
export function stateBadge(state: ItemState) {
  return html`<span class="console-state console-state-${state}">${STATE_WORDS[state]}</span>`;
}

/** A value with a copy button (shown by the page script where the clipboard works). */
export function copyable(id: string, value: string, label: string) {
  return html`<div class="copy-row">
    <code id="${id}">${value}</code>
    <button type="button" class="secondary" data-copy="${id}" hidden>Copy ${label}</button>
  </div>`;
}
