import { isText } from "./content";
import type { DriveItemRecord, DriveStore } from "./model";

/** @module Search in the emulated OneDrive: by name, or by content for text files. */

/** Files and folders below `base` whose name, or text content, contains `term`. */
export function searchBelow(store: DriveStore, base: DriveItemRecord, term: string): DriveItemRecord[] {
  const needle = term.toLowerCase();
  const decoder = new TextDecoder();
  const below = (item: DriveItemRecord): boolean => {
    for (
      let at = item.parentId ? store.items.get(item.parentId) : undefined;
      at;
      at = at.parentId ? store.items.get(at.parentId) : undefined
    ) {
      if (at.id === base.id) return true;
    }
    return false;
  };
  return [...store.items.values()].filter((item) => {
    if (!below(item)) return false;
    if (item.name.toLowerCase().includes(needle)) return true;
    return Boolean(item.content && item.mimeType && isText(item.mimeType) && decoder.decode(item.content).toLowerCase().includes(needle));
  });
}
