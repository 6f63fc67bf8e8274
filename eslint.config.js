import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules",
      "web/dist",
      "**/.wrangler",
      "worker-configuration.d.ts",
      "bench-out",
      "migrations",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-empty": ["error", { allowEmptyCatch: true }],
    },
  },
  {
    // The SPA's pages are composed in app.tsx; one page never imports another (shared pieces live in
    // their feature folder or web/src/ui/).
    files: ["web/src/**/*-page.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/*-page"], message: "a page must not import another page; share the piece instead" },
          ],
        },
      ],
    },
  },
  {
    files: ["scripts/**/*.mjs", "bench/**/*.mjs", "test/browser/**/*.mjs", "test/e2e/**/*.mjs", "*.js"],
    languageOptions: { globals: { ...globals.node } },
  },
);
