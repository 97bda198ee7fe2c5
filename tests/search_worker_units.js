// What the browser's own search worker answers, case by case, under Node (tests/test_javascript.py).
//
//   node tests/search_worker_units.js WORKER.js < cases.json
//
// cases.json is a list of {docs, config, query}: an index of docs (as search/search_index.json holds them) and one
// query. Prints, for each case, the result groups of index.search(query), each a list of {location, title, text},
// or {error} when the worker throws (in the browser the worker then answers with no results).
"use strict"

const fs = require("fs")
const { SearchIndex } = require(require("path").resolve(process.argv[2]))

const out = JSON.parse(fs.readFileSync(0, "utf-8")).map(c => {
  try {
    const index = new SearchIndex(c.docs, c.config || {})
    return index.search(c.query).items.map(group => group.map(d => ({ location: d.location, title: d.title, text: d.text })))
  } catch (err) {
    return { error: String(err && err.stack || err) }
  }
})
process.stdout.write(JSON.stringify(out))
