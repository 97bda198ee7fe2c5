// The pages an everyday query brings up, with the browser's own worker code, under Node.
//
//   node tests/search_everyday.js WORKER.js search_index.json queries.json
//
// queries.json is a list of query strings; prints {query: [location of each result group, best first]} as JSON.
"use strict"

const fs = require("fs")
const [worker, indexFile, queriesFile] = process.argv.slice(2)
const { SearchIndex } = require(require("path").resolve(worker))
const data = JSON.parse(fs.readFileSync(indexFile, "utf-8"))
const index = new SearchIndex(data.docs, data.config)
const out = {}
for (const query of JSON.parse(fs.readFileSync(queriesFile, "utf-8"))) {
  out[query] = index.search(query).items.map(group => group[0].location)
}
console.log(JSON.stringify(out))
