// A readable API reference rendered on the server from the OpenAPI document: no CDN, no script, and
// a Content-Security-Policy that lets in its one inline style by hash.
import type { OpenAPIHono } from "@hono/zod-openapi";

type OpenApiDoc = ReturnType<OpenAPIHono["getOpenAPI31Document"]>;
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );

/** The page's only style; its hash is the one thing its Content-Security-Policy lets in. */
const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;max-width:1000px;margin:2rem auto;padding:0 1rem;color:#1d2733}
table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #e3e8ee;padding:.4rem;vertical-align:top}
.d{color:#5b6775;font-size:13px}code.m{font-weight:600}.get{color:#1769aa}.post{color:#2e7d32}.patch{color:#a15c00}.delete{color:#b3261e}.put{color:#6a3fb5}
`;

let policy: Promise<string> | undefined;

/** No script, no images, nothing but the page's own style. */
export function docsPolicy(): Promise<string> {
  policy ??= crypto.subtle.digest("SHA-256", new TextEncoder().encode(STYLE)).then((hash) => {
    const base64 = btoa(String.fromCharCode(...new Uint8Array(hash)));
    return `default-src 'none'; style-src 'sha256-${base64}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
  });
  return policy;
}

export function renderDocs(doc: OpenApiDoc): string {
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    // In the order the routes were declared, as the document lists them.
    const methods = Object.keys(item).filter((k) => (METHODS as readonly string[]).includes(k));
    for (const method of methods as (typeof METHODS)[number][]) {
      const op = item[method]!;
      const tag = op.tags?.[0] ?? "other";
      const params = (op.parameters ?? [])
        .flatMap((p) => ("name" in p ? [`${p.name} (${p.in})`] : []))
        .join(", ");
      const row = `<tr><td><code class="m ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</code></td>
        <td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(op.summary ?? "")}
        <div class="d">${escapeHtml(op.description ?? "")}${params ? ` Parameters: ${escapeHtml(params)}.` : ""}</div></td></tr>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), row]);
    }
  }
  const sections = [...byTag.entries()]
    .map(([tag, rows]) => `<h2>${escapeHtml(tag)}</h2><table>${rows.join("")}</table>`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(doc.info.title)} API</title><style>${STYLE}</style></head><body><h1>${escapeHtml(doc.info.title)} API <small>${escapeHtml(doc.info.version)}</small></h1>
<p>JSON over HTTPS. Sign in with <code>POST /api/auth/login</code> (session cookie) or send <code>Authorization: Bearer &lt;token&gt;</code>.
Errors are <code>{"error":{"code","message","field"}}</code>. Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
${sections}</body></html>`;
}
