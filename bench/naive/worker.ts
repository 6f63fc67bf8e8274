// Benchmark reference (a): the way the PHP platform imported, one INSERT per reading, through a D1
// binding inside a Worker. Only the benchmark starts this Worker.
export default {
  async fetch(request: Request, env: { DB: D1Database }): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/setup") {
      await env.DB.exec(
        "CREATE TABLE IF NOT EXISTS readings_naive (mpan TEXT NOT NULL, read_at TEXT NOT NULL, kwh REAL NOT NULL, PRIMARY KEY (mpan, read_at))",
      );
      return new Response("ok");
    }
    // Body: JSON [[mpan, isoTime, kwh], ...]
    const rows = (await request.json()) as [string, string, number][];
    const started = performance.now();
    const stmt = env.DB.prepare(
      "INSERT OR REPLACE INTO readings_naive (mpan, read_at, kwh) VALUES (?1, ?2, ?3)",
    );
    for (const [mpan, at, kwh] of rows) await stmt.bind(mpan, at, kwh).run();
    return Response.json({ rows: rows.length, ms: performance.now() - started });
  },
};
