// Readings answers this isolate gave in the last second, by caller and URL. One D1 round trip costs the
// local server as much as a whole request that touches no binding, so a caller (a dashboard polling, a
// client under load) asking the same again within a second gets the same answer without one. Any write
// through this isolate empties it, so its own requests always read their writes; in another isolate a
// write shows within RECENT_READINGS_MS.

export const RECENT_READINGS_MS = 1_000;
/** Only answers up to this many characters are kept (a meter-year of days is about 36,000), and this many in all. */
const MAX_ANSWER_CHARS = 256 * 1024;
const MAX_TOTAL_CHARS = 4 * 1024 * 1024;

type Entry = { body: string; until: number };

export const recentReadings = {
  entries: new Map<string, Entry>(),
  chars: 0,

  get(key: string, now = Date.now()): string | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (now < hit.until) return hit.body;
    this.forget(key);
    return undefined;
  },

  set(key: string, body: string, now = Date.now()): void {
    if (body.length > MAX_ANSWER_CHARS) return;
    this.forget(key); // re-inserted last, so the first entry is always the oldest
    while (this.chars + body.length > MAX_TOTAL_CHARS) this.forget(this.entries.keys().next().value!);
    this.entries.set(key, { body, until: now + RECENT_READINGS_MS });
    this.chars += body.length;
  },

  forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.chars -= entry.body.length;
  },

  clear(): void {
    this.entries.clear();
    this.chars = 0;
  },
};

/** The caller (everything that decides what it may see) and the URL with its query. */
export const recentKey = (principal: object, url: string) => `${JSON.stringify(principal)} ${url}`;
