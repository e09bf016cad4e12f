import type { EmulatedUser } from "../../state";
import { historyEnd } from "../day";
import { pick, seededId, seededRandom } from "../random";
import { channelPost, chatLine, GENERAL_TOPICS, GROUP_CHATS, memberRule, replyText, TEAM_SPECS } from "./content";
import { type ChatRecord, identity, message, type MessageRecord, type TeamRecord, type TeamsStore } from "./model";
import { DAY_MS } from "../timezones";

/**
 * @module
 * Seeded Teams data for a tenant: its teams, channels and group chats, 1:1
 * chats between its users, and message threads, seeded on first access and
 * authored by the members at that time.
 */

function hex(seed: string, length = 32): string {
  const random = seededRandom(seed);
  return Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join("");
}

export function seedTeams(tenantId: string, seedDay: number): TeamsStore {
  const end = historyEnd(seedDay);
  const created = new Date(end - 500 * DAY_MS).toISOString();
  const seedKeys = new Map<string, string>();
  const teams = TEAM_SPECS.map((spec, t): TeamRecord => {
    const general = { displayName: "General", description: `${spec.displayName} — general discussion.`, topics: GENERAL_TOPICS };
    return {
      id: seededId(`team:${tenantId}:${t}`),
      displayName: spec.displayName,
      description: spec.description,
      visibility: spec.visibility,
      createdDateTime: created,
      includes: memberRule(spec.members),
      channels: [general, ...spec.channels].map((channel, c) => ({
        id: keyed(seedKeys, `19:${hex(`channel:${tenantId}:${t}:${c}`)}@thread.tacv2`, `channel:${t}:${c}`),
        displayName: channel.displayName,
        description: channel.description,
        createdDateTime: created,
        topics: channel.topics,
      })),
    };
  });
  const chats = new Map<string, ChatRecord>();
  GROUP_CHATS.forEach((spec, g) => {
    const id = keyed(
      seedKeys,
      spec.chatType === "meeting"
        ? `19:meeting_${btoa(hex(`meeting:${tenantId}:${g}`, 36)).slice(0, 48)}@thread.v2`
        : `19:${hex(`chat:${tenantId}:${g}`)}@thread.v2`,
      `chat:${g}`,
    );
    chats.set(id, {
      id,
      topic: spec.topic,
      chatType: spec.chatType,
      createdDateTime: created,
      lastUpdatedDateTime: created,
      includes: memberRule(spec.members),
      minMembers: 2,
    });
  });
  return { tenantId, teams, chats, threads: new Map(), meetings: new Map(), historyEnd: end, seedKeys };
}

function keyed(keys: Map<string, string>, id: string, key: string): string {
  keys.set(id, key);
  return id;
}

/** 1:1 chats between each user and the first user, and between neighbours. */
export function syncOneOnOneChats(store: TeamsStore, users: readonly EmulatedUser[]): void {
  const created = new Date(store.historyEnd - 200 * DAY_MS).toISOString();
  users.forEach((user, index) => {
    for (const other of [users[0], users[index - 1]]) {
      if (!other || other.oid === user.oid) continue;
      const [a, b] = [user.oid, other.oid].sort();
      const id = `19:${a}_${b}@unq.gbl.spaces`;
      if (!store.chats.has(id)) {
        store.chats.set(id, {
          id,
          topic: null,
          chatType: "oneOnOne",
          createdDateTime: created,
          lastUpdatedDateTime: created,
          includes: (_, oid) => oid === a || oid === b,
          minMembers: 2,
        });
      }
    }
  });
}

/** Unique, increasing epoch-millisecond ids as Teams uses, spread over the weeks before `end`. */
function timeline(random: () => number, count: number, days: number, end: number): number[] {
  // Ends 13 hours early so seeded replies (up to ~12h later) are before the end of history too.
  const latest = end - 13 * 3_600_000;
  return Array.from({ length: count }, () => latest - Math.floor(random() * days * DAY_MS))
    .sort((a, b) => a - b)
    .map((ms, i, all) => (i > 0 && ms <= (all[i - 1] ?? 0) ? (all[i - 1] ?? 0) + 1 : ms));
}

/** Draws for a channel's or chat's seeded messages: keyed by its position (or, for 1:1 chats, the members' oids), not the tenant. */
function threadRandom(store: TeamsStore, id: string): () => number {
  return seededRandom(`thread:${store.seedKeys.get(id) ?? id}`);
}

export function seedChannelThread(
  store: TeamsStore,
  channelId: string,
  authors: readonly EmulatedUser[],
  topics: readonly string[],
): MessageRecord[] {
  const random = threadRandom(store, channelId);
  if (authors.length === 0) return [];
  // 21–40 posts: more than Graph's default page of 20, so a busy channel always has a second page.
  const posts = timeline(random, 21 + Math.floor(random() * 20), 30, store.historyEnd).map((at) => {
    const author = pick(random, authors);
    const others = authors.filter((user) => user.oid !== author.oid);
    const mentioned = others.length > 0 && random() < 0.15 ? pick(random, others) : undefined;
    const post = message(at, author, channelPost(random, topics, mentioned?.displayName), null);
    if (mentioned) post.mentions = [{ id: 0, mentionText: mentioned.displayName, mentioned: identity(mentioned) }];
    if (random() < 0.15) post.importance = "high";
    if (random() < 0.35) {
      let replyAt = at;
      for (let r = 0, n = 1 + Math.floor(random() * 4); r < n; r++) {
        replyAt += 60_000 + Math.floor(random() * 3 * 3_600_000);
        post.replies.push(message(replyAt, pick(random, authors), replyText(random), post.id));
      }
      post.lastModifiedDateTime = new Date(replyAt).toISOString();
    }
    return post;
  });
  // A busy channel always has some thread with replies (about 1 seed in 20,000 drew none).
  const oldest = posts[0];
  if (oldest && !posts.some((post) => post.replies.length > 0)) {
    const reply = message(Number(oldest.id) + 3_600_000, pick(random, authors), replyText(random), oldest.id);
    oldest.replies.push(reply);
    oldest.lastModifiedDateTime = reply.createdDateTime;
  }
  return posts;
}

export function seedChatThread(store: TeamsStore, chatId: string, authors: readonly EmulatedUser[]): MessageRecord[] {
  const random = threadRandom(store, chatId);
  if (authors.length === 0) return [];
  return timeline(random, 8 + Math.floor(random() * 13), 14, store.historyEnd).map((at) =>
    message(at, pick(random, authors), chatLine(random), null),
  );
}
