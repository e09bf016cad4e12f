import type { SigningKeys } from "./entra/keys";
import type { EmulatorState } from "./state";

export type EmulatorEnv = { Variables: { state: EmulatorState; keys: SigningKeys } };
