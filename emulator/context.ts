import type { EmulatedCloud } from "./clouds";
import type { SigningKeys } from "./entra/keys";
import type { DownloadLinks } from "./graph/files/downloads";
import type { FaultInjector } from "./graph/faults";
import type { GraphStore } from "./graph/store";
import type { EmulatedTenant, EmulatedUser, EmulatorState } from "./state";

/** Everything one emulator instance holds; handed to every route. */
export interface EmulatorServices {
  state: EmulatorState;
  /** The cloud whose endpoints this request reached; its tokens are signed with that cloud's `keys`. */
  cloud: EmulatedCloud;
  keys: SigningKeys;
  /** Every cloud's signing keys, for the control API's tokens minted in a tenant's own cloud. */
  keysByCloud: ReadonlyMap<EmulatedCloud, SigningKeys>;
  graph: GraphStore;
  faults: FaultInjector;
  /** Pre-authenticated download URLs for drive items, and their per-tenant settings. */
  downloads: DownloadLinks;
  /** The emulator's own fetch handler, for `$batch` sub-requests. */
  dispatch: (request: Request) => Promise<Response>;
}

export type EmulatorEnv = { Variables: EmulatorServices };

/** The signed-in user a Graph call acts for, from a verified access token. */
export interface GraphCaller {
  tenant: EmulatedTenant;
  user: EmulatedUser;
  scopes: ReadonlySet<string>;
  clientId: string;
}

export type GraphEnv = { Variables: EmulatorServices & { caller: GraphCaller } };
