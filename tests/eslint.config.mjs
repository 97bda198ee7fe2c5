// ESLint for the site's own JavaScript (site_templates/overrides/assets/javascripts/*.js) and the editor's
// (generator/edit/static/*.js), run by
// tests/test_javascript.py from the repository root:
//
//   tests/node_modules/.bin/eslint --config tests/eslint.config.mjs site_templates/overrides/assets/javascripts/
//
// The files are classic scripts (plain <script> tags and one Web Worker; no modules, no build step), written to
// ES2015: the browsers mkdocs-material's own bundle needs.  Newer syntax is a parse error here.  Layout is checked
// by ESLint's stylistic rules (@stylistic), set to the style the files are written in.
import js from "@eslint/js"
import stylistic from "@stylistic/eslint-plugin"
import globals from "globals"

const SCRIPTS = "site_templates/overrides/assets/javascripts"
const EDITOR = "generator/edit/static"  // the editor's page script (python -m generator edit)

export default [
  {
    files: [`${SCRIPTS}/*.js`, `${EDITOR}/*.js`],
    languageOptions: {
      ecmaVersion: 2015,
      sourceType: "script",
    },
  },
  js.configs.recommended,
  stylistic.configs.customize({ indent: 2, quotes: "double", semi: true, braceStyle: "1tbs" }),
  {
    files: [`${SCRIPTS}/*.js`, `${EDITOR}/*.js`],
    rules: {
      eqeqeq: "error",
      // ES2015 has no catch without a binding: `catch (e) { /* why it is ignored */ }` is the way to ignore an error
      "no-unused-vars": ["error", { caughtErrors: "none" }],
      "@stylistic/max-len": ["error", { code: 120, ignoreComments: true, ignoreStrings: true }],
      // trailing commas in calls are ES2017; the files use none anywhere
      "@stylistic/comma-dangle": ["error", "never"],
      "@stylistic/quotes": ["error", "double", { avoidEscape: true }],
      // two spaces before a comment at the end of a line, as in the Python
      "@stylistic/no-multi-spaces": ["error", { ignoreEOLComments: true }],
      // short bodies on one line: `if (!box) return;`, `function () { composing = true; }`
      "@stylistic/max-statements-per-line": "off",
    },
  },
  {
    // the page scripts: each an IIFE that leaks nothing into window but what it assigns there on purpose
    files: [`${SCRIPTS}/*.js`, `${EDITOR}/*.js`],
    ignores: [`${SCRIPTS}/search-worker.js`],
    languageOptions: { globals: { ...globals.browser } },
    rules: { "no-implicit-globals": "error" },
  },
  {
    // exports its functions to Node for tests/test_workdays.py
    files: [`${SCRIPTS}/deadline.js`],
    languageOptions: { globals: { module: "readonly" } },
  },
  {
    // a Web Worker (its own global scope), also loaded by the Node tests; written without semicolons
    files: [`${SCRIPTS}/search-worker.js`],
    languageOptions: { globals: { ...globals.worker, module: "readonly" } },
    rules: { "@stylistic/semi": ["error", "never"] },
  },
]
