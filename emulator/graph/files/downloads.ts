import { errors as joseErrors, jwtVerify, SignJWT } from "jose";

/**
 * @module
 * Pre-authenticated download URLs, as OneDrive hands them out for
 * `/content`: Graph answers 302 to a short-lived URL in another path space
 * (Microsoft's are on the tenant's SharePoint host, carrying a `tempauth`
 * token). The URL itself is the credential: it names the tenant, user and
 * item, is signed with this emulator's own key and expires after a few
 * minutes. Per tenant, a test can make downloads ignore Range (Microsoft
 * says it may) or hand out URLs that are already expired.
 */
export const DOWNLOAD_PATH = "/_download/";

export interface DownloadSettings {
  ignoreRange: boolean;
  lifetimeSeconds: number;
}

export interface DownloadClaims {
  tid: string;
  oid: string;
  item: string;
}

export interface DownloadStats {
  /** Downloads answered with bytes. */
  served: number;
  /** Downloads refused because they carried an Authorization header. */
  refusedAuthorization: number;
}

/** "valid for a short period of time (a few minutes)", per the download docs. */
const DEFAULT_LIFETIME_SECONDS = 300;

export class DownloadLinks {
  readonly #secret = crypto.getRandomValues(new Uint8Array(32));
  readonly #settings = new Map<string, DownloadSettings>();
  readonly #stats = new Map<string, DownloadStats>();

  settings(tenantId: string): DownloadSettings {
    return this.#settings.get(tenantId.toLowerCase()) ?? { ignoreRange: false, lifetimeSeconds: DEFAULT_LIFETIME_SECONDS };
  }

  configure(tenantId: string, change: Partial<DownloadSettings>): DownloadSettings {
    const next = { ...this.settings(tenantId), ...change };
    this.#settings.set(tenantId.toLowerCase(), next);
    return next;
  }

  stats(tenantId: string): DownloadStats {
    return { ...(this.#stats.get(tenantId.toLowerCase()) ?? { served: 0, refusedAuthorization: 0 }) };
  }

  record(tenantId: string, outcome: keyof DownloadStats): void {
    const stats = this.stats(tenantId);
    stats[outcome] += 1;
    this.#stats.set(tenantId.toLowerCase(), stats);
  }

  /** A download URL on `origin` for one item of one user's drive. */
  async mint(origin: string, claims: DownloadClaims): Promise<string> {
    const lifetime = this.settings(claims.tid).lifetimeSeconds;
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + lifetime)
      .sign(this.#secret);
    return `${origin}${DOWNLOAD_PATH}${token}`;
  }

  /** The URL's claims, or why it no longer opens. */
  async open(token: string): Promise<DownloadClaims | "expired" | "invalid"> {
    try {
      const { payload } = await jwtVerify(token, this.#secret, { algorithms: ["HS256"] });
      const { tid, oid, item } = payload;
      return typeof tid === "string" && typeof oid === "string" && typeof item === "string" ? { tid, oid, item } : "invalid";
    } catch (error) {
      return error instanceof joseErrors.JWTExpired ? "expired" : "invalid";
    }
  }
}
