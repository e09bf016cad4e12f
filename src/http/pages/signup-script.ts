import { contentVersion } from "./assets";

/**
 * @module The signup pages' own script, on top of the shared one (copy
 * buttons, busy form, downloads). The form posts and answers without it;
 * with it, the person sees earlier what the server would say:
 * - the address, MCP URL and redirect URI follow the address as it is typed,
 *   and whether the address is free is said in a polite live region by the field;
 * - a submit with empty or malformed fields stays in the browser and shows the
 *   same summary and field errors the server renders, with the same words
 *   (each input carries them in `data-missing` / `data-invalid`); the client
 *   secret counts as missing only while "Client secret" is the chosen credential;
 * - the summary takes focus when the page opens with one, and its links move
 *   focus to their field;
 * - on the result page, leaving asks for confirmation until the admin key was
 *   copied or downloaded.
 */
export const SIGNUP_JS = `"use strict";
(() => {
  const PLACEHOLDER = "your-address";
  const sentence = (text) => text.charAt(0).toUpperCase() + text.slice(1);

  const summary = document.getElementById("error-summary");
  if (summary && !summary.hidden) summary.focus();
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest(".error-summary a[href^='#']") : null;
    if (!link) return;
    const field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    field.focus();
  });

  const setFieldError = (input, message) => {
    const slot = document.getElementById(input.id + "-error");
    const hint = input.id + "-hint";
    if (!slot) return;
    slot.textContent = message ? sentence(message) : "";
    slot.hidden = !message;
    if (message) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", slot.id + " " + hint);
    } else {
      input.removeAttribute("aria-invalid");
      input.setAttribute("aria-describedby", hint);
    }
  };

  const showSummary = (problems) => {
    if (!summary) return;
    summary.replaceChildren();
    const title = document.createElement("h2");
    title.id = "error-summary-title";
    title.textContent = "There is a problem";
    const list = document.createElement("ul");
    for (const { input, message } of problems) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = "#" + input.id;
      link.textContent = input.dataset.label + ": " + sentence(message);
      item.append(link);
      list.append(item);
    }
    summary.append(title, list);
    summary.setAttribute("role", "group");
    summary.setAttribute("aria-labelledby", title.id);
    summary.hidden = false;
    summary.focus();
  };

  // The secret is needed only with the credential "secret" (a certificate needs none), so it carries no required attribute.
  const secretNeeded = (input) => {
    const chosen = document.querySelector("input[name='credential']:checked");
    return input.id === "clientSecret" && !input.value && (!chosen || chosen.value === "secret");
  };

  const problemOf = (input) => {
    if (input.validity.valueMissing || secretNeeded(input)) return input.dataset.missing;
    return input.validity.valid ? "" : input.dataset.invalid;
  };

  const form = document.getElementById("signup");
  if (form) {
    // The browser's own bubbles would hide the summary; the form stays checkable without this script.
    form.noValidate = true;
    // Capturing on the document runs before the shared script marks the form busy.
    document.addEventListener("submit", (event) => {
      if (event.target !== form) return;
      const problems = [];
      for (const input of form.querySelectorAll("input[data-missing]")) {
        const message = problemOf(input);
        setFieldError(input, message);
        if (message) problems.push({ input, message });
      }
      if (problems.length === 0) return;
      event.preventDefault();
      showSummary(problems);
    }, true);

    const slug = document.getElementById("slug");
    const availability = document.getElementById("slug-availability");
    let timer;
    let latest = 0;
    const check = async (value) => {
      const ticket = ++latest;
      try {
        const response = await fetch("/api/signup/availability?slug=" + encodeURIComponent(value), { headers: { accept: "application/json" } });
        if (!response.ok || ticket !== latest) return;
        const answer = await response.json();
        if (ticket !== latest) return;
        availability.textContent = answer.message;
        availability.className = answer.available ? "hint available" : "hint unavailable";
      } catch {
        // The check is a courtesy: the signup itself says whether the address is free.
      }
    };
    if (slug && availability) {
      slug.addEventListener("input", () => {
        const value = slug.value.trim().toLowerCase();
        for (const part of document.querySelectorAll("[data-slug-preview]")) part.textContent = value || PLACEHOLDER;
        clearTimeout(timer);
        latest += 1;
        availability.textContent = "";
        if (value) timer = setTimeout(() => check(value), 400);
      });
    }
  }

  const keyStep = document.querySelector("[data-leave-warning]");
  if (keyStep) {
    let stored = false;
    for (const control of keyStep.querySelectorAll("[data-copy], [data-download]")) {
      control.addEventListener("click", () => { stored = true; });
    }
    window.addEventListener("beforeunload", (event) => {
      if (stored) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }
})();
`;

export const SIGNUP_JS_PATH = "/assets/signup.js";

/** Where the signup pages load it: the query names the content, so it is cached for a year. */
export const SIGNUP_JS_URL = `${SIGNUP_JS_PATH}?v=${contentVersion(SIGNUP_JS)}`;

/** The script as a response, cached like the shared assets. */
export function signupScriptResponse(): Response {
  return new Response(SIGNUP_JS, {
    status: 200,
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    },
  });
}
