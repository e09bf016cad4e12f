import { html } from "hono/html";

/** @module The emulator's sign-in and error pages (Entra shows its own HTML pages here). */

const STYLE = html`<style>
  body {
    font:
      15px/1.5 system-ui,
      sans-serif;
    max-width: 28rem;
    margin: 3rem auto;
    padding: 0 1rem;
  }
  .card {
    border: 1px solid #ccc;
    border-radius: 6px;
    padding: 1.5rem;
  }
  a.user {
    display: block;
    padding: 0.7rem;
    margin: 0.4rem 0;
    border: 1px solid #ddd;
    border-radius: 4px;
    text-decoration: none;
    color: inherit;
  }
  a.user:hover {
    background: #f3f6fb;
  }
  .muted {
    color: #666;
    font-size: 0.85rem;
  }
</style>`;

export function signInPage(input: { tenantName: string; appName: string; users: { name: string; upn: string; href: string }[] }) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Sign in to your account</title>
        ${STYLE}
      </head>
      <body>
        <div class="card">
          <p class="muted">Microsoft 365 emulator · ${input.tenantName}</p>
          <h1>Pick an account</h1>
          <p><strong>${input.appName}</strong> wants to sign you in.</p>
          ${input.users.map((user) => html`<a class="user" href="${user.href}"><strong>${user.name}</strong><br /><span class="muted">${user.upn}</span></a>`)}
        </div>
      </body>
    </html>`;
}

export function errorPage(error: string, description: string) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Sign in error</title>
        ${STYLE}
      </head>
      <body>
        <div class="card">
          <h1>Sorry, but we're having trouble signing you in.</h1>
          <p><strong>${error}</strong></p>
          <p>${description}</p>
        </div>
      </body>
    </html>`;
}
