// Builds the SPA from web/ into web/dist, which the Worker serves as static assets (SPA fallback).
// `vite --config web/vite.config.ts` serves it in development with /api proxied to `wrangler dev`.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

const root = fileURLToPath(new URL(".", import.meta.url));
const apiTarget = process.env.API_URL ?? "http://127.0.0.1:8787";

export default defineConfig({
  root,
  plugins: [preact()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    proxy: {
      "/api": {
        target: apiTarget,
        ws: true,
        changeOrigin: true,
        // The API refuses cookie writes from another origin; the proxy makes them same-origin.
        configure: (proxy) => {
          proxy.on("proxyReq", (req) => {
            if (req.getHeader("origin")) req.setHeader("origin", apiTarget);
          });
          proxy.on("proxyReqWs", (req) => {
            if (req.getHeader("origin")) req.setHeader("origin", apiTarget);
          });
        },
      },
    },
  },
});
