import { Hono } from "hono";
import type { ApexEnv } from "./context";
import { onError } from "./on-error";
import { landingPage } from "./pages/apex-pages";
import { SIGNUP_JS_PATH, signupScriptResponse } from "./pages/signup-script";
import { healthRoute } from "./routes/health";
import { operatorRoutes } from "./routes/operator";
import { signupRoute } from "./routes/signup";
import { signupAvailabilityRoute } from "./routes/signup-availability";

/** @module The apex host's app: landing and signup pages, health, the signup API and the operator API. */

/** Everything served on the apex host (`BASE_DOMAIN`). */
export const apexApp = new Hono<ApexEnv>()
  .get("/", (c) => c.html(landingPage(new URL(c.req.url).origin), 200))
  .get(SIGNUP_JS_PATH, () => signupScriptResponse())
  .route("/", healthRoute<ApexEnv>())
  .route("/", signupRoute)
  .route("/", signupAvailabilityRoute)
  .route("/", operatorRoutes)
  .onError(onError);
