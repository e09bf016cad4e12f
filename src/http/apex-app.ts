import { Hono } from "hono";
import type { ApexEnv } from "./context";
import { onError } from "./on-error";
import { landingPage, SIGNUP_SCRIPT, signupPage } from "./pages/apex-pages";
import { healthRoute } from "./routes/health";
import { operatorRoutes } from "./routes/operator";
import { signupRoute } from "./routes/signup";

/** @module The apex host's app: landing and signup pages, health, the signup API and the operator API. */

/** Everything served on the apex host (`BASE_DOMAIN`). */
export const apexApp = new Hono<ApexEnv>()
  .get("/", (c) => c.html(landingPage(new URL(c.req.url).origin), 200))
  .get("/signup", (c) => c.html(signupPage(), 200))
  .get("/assets/signup.js", (c) =>
    c.body(SIGNUP_SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=300" }),
  )
  .route("/", healthRoute<ApexEnv>())
  .route("/", signupRoute)
  .route("/", operatorRoutes)
  .onError(onError);
