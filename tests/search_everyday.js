// The pages an everyday query brings up, with the browser's own worker code, under Node.
//
//   node tests/search_everyday.js WORKER.js search_index.json queries.json
//
// queries.json is a list of query strings; prints {query: [location of each result group, best first]} as JSON.
// A site's index split into parts (search/g, search/d beside search_index.json) is searched as the browser does,
// fetching the parts it needs.
"use strict"

const fs = require("fs")
const path = require("path")
const [worker, indexFile, queriesFile] = process.argv.slice(2)
const { SearchIndex, ShardedIndex } = require(path.resolve(worker))
const data = JSON.parse(fs.readFileSync(indexFile, "utf-8"))
const site = path.dirname(path.dirname(path.resolve(indexFile)))
const fetchJSON = file => Promise.resolve(JSON.parse(fs.readFileSync(path.join(site, file), "utf-8")))
const index = data.config && data.config.banshi_shards
  ? new ShardedIndex(data.docs, data.config, fetchJSON)
  : new SearchIndex(data.docs, data.config)

async function run() {
  const out = {}
  for (const query of JSON.parse(fs.readFileSync(queriesFile, "utf-8"))) {
    out[query] = (await index.search(query)).items.map(group => group[0].location)
  }
  console.log(JSON.stringify(out))
}
run()
