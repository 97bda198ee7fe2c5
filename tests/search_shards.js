// The search of a site whose index is in parts (search/g, search/d), against the whole index, under Node with the
// browser's own worker code; and what a phone downloads before its first result.
//
//   node tests/search_shards.js WORKER.js SITE_DIR WHOLE_INDEX.json queries.json [BUDGET]
//
// WHOLE_INDEX.json is the unsplit index ({config, docs}); SITE_DIR holds search/search_index.json and the parts.
// Prints {query: {whole, sharded, first, bytes}} as JSON: the result pages of each, best first; the pages of the
// first answer; and the bytes (gzip, level 6, as a server sends them) fetched before the first answer, the
// theme's search_index.json included.
"use strict"

const fs = require("fs")
const path = require("path")
const zlib = require("zlib")
const [worker, site, wholeFile, queriesFile, budget] = process.argv.slice(2)
const { SearchIndex, ShardedIndex } = require(path.resolve(worker))

function gz(file) {
  return zlib.gzipSync(fs.readFileSync(file), { level: 6 }).length
}

const whole = JSON.parse(fs.readFileSync(wholeFile, "utf-8"))
const wholeIndex = new SearchIndex(whole.docs, whole.config)
const theme = path.join(site, "search", "search_index.json")
const split = JSON.parse(fs.readFileSync(theme, "utf-8"))
const locations = result => result.items.map(group => group[0].location)

async function run() {
  const out = {}
  for (const query of JSON.parse(fs.readFileSync(queriesFile, "utf-8"))) {
    let bytes = gz(theme)
    let firstBytes = null, first = null
    const fetchJSON = (file) => {
      const at = path.join(site, file)
      bytes += gz(at)
      return Promise.resolve(JSON.parse(fs.readFileSync(at, "utf-8")))
    }
    const index = new ShardedIndex(split.docs, split.config, fetchJSON)
    if (budget) index.budget = Number(budget)  // a small site's parts, as a large site's weigh
    const result = await index.search(query, (answer) => {
      if (first === null) {
        first = locations(answer)
        firstBytes = bytes
      }
    })
    if (first === null) {
      first = locations(result)
      firstBytes = bytes
    }
    out[query] = { whole: locations(wholeIndex.search(query)), sharded: locations(result), first, bytes: firstBytes }
  }
  console.log(JSON.stringify(out))
}
run()
