// Measures the site search the way citizens use it, with the browser's own worker code, under Node.
//
//   node tests/search_measure.js WORKER.js search_index.json [--queries other_index.json] [staff-location ...]
//
// The queries come from the items of the index searched, or of --queries (to show that a
// damaged index fails the measure).
// For every item in the index:
//   - its full name, each alias and each result name must bring it into the top 3 pages;
//   - every substring of two or more characters of its name, and each material name,
//     must bring it among the results (recall), however many items share the words.
// No query may return a staff page.  Prints a JSON report on stdout.
"use strict"

const fs = require("fs")
const [worker, indexFile, ...rest] = process.argv.slice(2)
let queriesFile = indexFile
const staff = []
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === "--queries") queriesFile = rest[++i]
  else staff.push(rest[i])
}
const { SearchIndex } = require(require("path").resolve(worker))
const data = JSON.parse(fs.readFileSync(indexFile, "utf-8"))
const index = new SearchIndex(data.docs, data.config)
const items = JSON.parse(fs.readFileSync(queriesFile, "utf-8")).docs.filter(doc => doc.banshi)

const report = { items: items.length, top3: { queries: 0, failures: [] }, recall: { queries: 0, failures: [] }, staff: [] }

function pages(query) {
  const found = index.search(query).items.map(group => group[0].location)
  for (const location of found) {
    if (staff.some(s => location.startsWith(s))) report.staff.push({ query, location })
  }
  return found
}

for (const item of items) {
  const names = [item.title, ...item.banshi.aliases, ...item.banshi.result]
  for (const query of new Set(names)) {
    report.top3.queries++
    const rank = pages(query).indexOf(item.location)
    if (rank < 0 || rank > 2) report.top3.failures.push({ query, item: item.location, rank })
  }
}

const expected = new Map()
function expect(query, location) {
  if (!expected.has(query)) expected.set(query, new Set())
  expected.get(query).add(location)
}
for (const item of items) {
  const chars = Array.from(item.title)
  for (let i = 0; i < chars.length; i++) {
    for (let j = i + 2; j <= chars.length; j++) expect(chars.slice(i, j).join(""), item.location)
  }
  for (const material of item.banshi.materials) expect(material, item.location)
}
for (const [query, locations] of expected) {
  report.recall.queries++
  const found = new Set(pages(query))
  for (const location of locations) {
    if (!found.has(location)) report.recall.failures.push({ query, item: location })
  }
}

report.top3.failures = report.top3.failures.slice(0, 20)
report.recall.failures = report.recall.failures.slice(0, 20)
report.staff = report.staff.slice(0, 20)
console.log(JSON.stringify(report))
