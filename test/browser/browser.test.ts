/**
 * @module
 * Every browser test, in one file around one world (the gateway's deploy
 * bundle, the emulator and one Chromium): starting a world costs seconds of
 * CPU, so the journeys share it, each in browser contexts of its own and
 * each with organizations and users of its own.
 */
import { afterAll, beforeAll } from "vitest";
import { accessibilityChecks } from "./accessibility";
import { connectJourneys } from "./connect";
import { consoleJourneys } from "./console";
import { usersPageChecks } from "./users-page";
import { signupJourneys } from "./signup";
import { startWorld, type World } from "./world";

let world: World | undefined;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

function getWorld(): World {
  if (!world) throw new Error("the browser world has not started");
  return world;
}

accessibilityChecks(getWorld);
signupJourneys(getWorld);
usersPageChecks(getWorld);
connectJourneys(getWorld);
// Last: it changes the organization's policy, then deletes the organization.
consoleJourneys(getWorld);
