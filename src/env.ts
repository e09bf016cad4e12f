import packageJson from "../package.json";

/**
 * @module The Worker's bindings. `Cloudflare.Env` is generated from
 * wrangler.toml and the secret names in `.dev.vars.example` by `npm run types`
 * (into worker-configuration.d.ts; `npm test` fails when it has drifted). It
 * names one `KEK_1`, while key-encryption keys come as any number of
 * `KEK_<id>` (`readConfig` finds them all), and secrets and settings may be
 * unset whatever the type says: every value is validated once per isolate by
 * `readConfig`.
 */
export type Env = Cloudflare.Env;

/** The gateway's version, as package.json states it. */
export const GATEWAY_VERSION: string = packageJson.version;
