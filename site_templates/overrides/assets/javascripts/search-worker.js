/* 办事指南的站内搜索：一个 Web Worker，替换主题自带的 lunr 搜索。
 *
 * Citizens type everyday words (社保卡, 营业执照, 不动产), not the words a word
 * segmenter cuts the official names into.  So this is a substring search:
 * every query term must occur, as written, in some field of a page; a bigram
 * index narrows the candidates first.  Items are ranked by where the term
 * occurs (name, alias, result, situation, material, department, text) and
 * how exactly (whole field, start, inside); an exact name, alias or result
 * always ranks above any partial match, and items above prose pages.
 *
 * mkdocs-material lets a site bring its own worker (the "search" entry of
 * __config, see main.html).  The worker speaks the theme's four messages:
 *   {type: 0, data: {config, docs}}  ->  {type: 1}                    (setup, ready)
 *   {type: 2, data: "query"}         ->  {type: 3, data: {items}}     (query, result)
 * where items is a list of groups, one per page, each [page, ...sections],
 * with title and text as HTML (escaped here, matches in <mark>).
 *
 * The index (search/search_index.json) is written by the build: item pages as
 * one document each with a "banshi" object of their searchable names,
 * hand-written pages as the theme wrote them, cleaned to plain text.
 *
 * Under Node (the tests) the file exports {SearchIndex, normalize} instead.
 */
"use strict"

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3

/* Where a term occurs, and how much that counts. */
var ITEM_FIELDS = [
  ["title", 10, ""],
  ["aliases", 9, "又称"],
  ["everyday", 8, "俗称"],
  ["result", 8, "办理结果"],
  ["members", 7, "包含事项"],
  ["situations", 5, "办理情形"],
  ["materials", 4, "申请材料"],
  ["department", 3, ""],
  ["pinyin", 3, ""],
  ["code", 2, "实施编码"],
  ["text", 1, ""]
]
var PAGE_FIELDS = [["title", 6, ""], ["text", 1, ""]]

/* Question words and particles that are not part of any name: tried away only when nothing matches
   (身份证过期了, 怎么领结婚证, 社保卡在哪里办). */
var FILLERS = new RegExp([
  "怎么样", "怎么办", "怎么", "怎样", "如何", "咋办", "咋", "在哪里", "在哪儿", "在哪", "哪里", "哪儿", "去哪",
  "我要", "我想", "想要", "需要", "要什么", "什么", "能不能", "可以", "办理", "申请", "手续", "流程", "材料",
  "了", "吗", "呢", "啊", "呀", "吧"
].join("|"), "g")

function strip(term) {
  return term.replace(FILLERS, "").replace(/^办/, "").replace(/办$/, "")
}

var SEPARATOR = "\n"

/* One character at a time, so that a substring of a text stays a substring of its normal form. */
function normalize(text) {
  var out = ""
  for (var ch of String(text || "")) {
    out += ch.normalize("NFKC").toLowerCase()
  }
  return out.replace(/[\s\u200b]+/g, "")
}

function escapeHTML(text) {
  return String(text)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;")
}

function bigrams(text) {
  var grams = []
  var chars = Array.from(text)
  for (var i = 0; i + 1 < chars.length; i++) grams.push(chars[i] + chars[i + 1])
  return grams
}

function list(value) {
  if (value === undefined || value === null || value === "") return []
  return Array.isArray(value) ? value.map(String) : [String(value)]
}

/* A document's fields: [name, weight, label, raw values, normal values]. */
function fieldsOf(doc) {
  var extra = doc.banshi
  var spec = extra ? ITEM_FIELDS : PAGE_FIELDS
  return spec.map(function (field) {
    var raw = field[0] === "title" || field[0] === "text" ? list(doc[field[0]]) : list(extra[field[0]])
    return { name: field[0], weight: field[1], label: field[2], raw: raw, norm: raw.map(normalize) }
  })
}

function SearchIndex(docs, config) {
  this.docs = docs
  /* everyday words of government services (the synonym table): a query naming one that no page holds asks for a
     service this site does not offer, and gets no partial match */
  this.words = ((config && config.banshi_words) || []).map(normalize).filter(Boolean)
  /* the everyday words some page of the site holds, when these documents are only part of the site's (a split
     index knows it from its manifest) */
  this.present = config && config.banshi_present ? new Set(config.banshi_present) : null
  this.fields = docs.map(fieldsOf)
  this.texts = this.fields.map(function (fields) {
    return fields.map(function (f) { return f.norm.join(SEPARATOR) }).join(SEPARATOR)
  })
  this.grams = new Map()
  for (var i = 0; i < docs.length; i++) {
    var seen = new Set(bigrams(this.texts[i]))
    for (var g of seen) {
      var postings = this.grams.get(g)
      if (postings) postings.push(i)
      else this.grams.set(g, [i])
    }
  }
}

/* Documents that may contain ``term``: those holding all its bigrams. */
SearchIndex.prototype.candidates = function (term) {
  var grams = Array.from(new Set(bigrams(term)))
  if (!grams.length) {
    var all = []
    for (var i = 0; i < this.docs.length; i++) if (this.texts[i].indexOf(term) >= 0) all.push(i)
    return all
  }
  var lists = []
  for (var g of grams) {
    var postings = this.grams.get(g)
    if (!postings) return []
    lists.push(postings)
  }
  lists.sort(function (a, b) { return a.length - b.length })
  var result = lists[0]
  for (var k = 1; k < lists.length && result.length; k++) {
    var other = new Set(lists[k])
    result = result.filter(function (d) { return other.has(d) })
  }
  return result
}

/* How well ``term`` matches document ``d``: {score, field, value} of the best field, or null. */
SearchIndex.prototype.best = function (d, term) {
  var best = null
  for (var f of this.fields[d]) {
    for (var v = 0; v < f.norm.length; v++) {
      var value = f.norm[v]
      var at = value.indexOf(term)
      if (at < 0) continue
      var how = value === term ? 3 : at === 0 ? 2 : 1
      var score = f.weight * how + f.weight * 0.5 * (term.length / value.length)
      if (!best || score > best.score) best = { score: score, field: f, value: f.raw[v] }
    }
  }
  return best
}

SearchIndex.prototype.match = function (terms) {
  var found = []
  var pool = null
  for (var term of terms) {
    var ids = new Set(this.candidates(term))
    pool = pool === null ? Array.from(ids) : pool.filter(function (d) { return ids.has(d) })
  }
  for (var d of pool || []) {
    var total = 0, why = []
    for (var t of terms) {
      var best = this.best(d, t)
      if (!best) { total = -1; break }
      total += best.score
      why.push(best)
    }
    if (total > 0) found.push({ doc: d, score: total, why: why })
  }
  return found
}

/* No document holds every term: the documents holding the largest share (at least half) of the query's bigrams,
   items before pages; never a document that holds less than the best one. */
SearchIndex.prototype.fuzzy = function (terms) {
  var grams = Array.from(new Set([].concat.apply([], terms.map(bigrams))))
  if (grams.length < 2) return []
  var counts = new Map()
  for (var g of grams) {
    for (var d of this.grams.get(g) || []) counts.set(d, (counts.get(d) || 0) + 1)
  }
  var best = 0
  for (var entry of counts) best = Math.max(best, entry[1])
  var found = []
  for (var entry2 of counts) {
    var share = entry2[1] / grams.length
    if (share >= 0.5 && entry2[1] === best) {
      var weight = this.docs[entry2[0]].banshi ? 2 : 1
      found.push({ doc: entry2[0], score: share * weight, why: [] })
    }
  }
  return found
}

SearchIndex.prototype.search = function (query) {
  var raw = String(query || "").trim().split(/\s+/).filter(Boolean)
  var terms = raw.map(normalize).filter(Boolean)
  if (!terms.length) return { items: [] }
  var found = this.match(terms)
  var stripped = terms.map(strip).filter(Boolean)
  if (!found.length && stripped.length && stripped.join(" ") !== terms.join(" ")) {
    found = this.match(stripped)
    if (found.length) raw = stripped
  }
  /* whether every term matched (as written or stripped): then only the documents holding them all took part */
  var stage = found.length ? "match" : "partial"
  if (!found.length && !this.asksForAnother(stripped.join(""))) {
    found = this.partial(stripped.length ? stripped : terms)
    if (!found.length) found = this.fuzzy(stripped.length ? stripped : terms)
  }
  return { items: this.groups(found, raw), stage: stage }
}

/* Whether ``text`` names a service by an everyday word that no page holds (驾照 on a site without it). */
SearchIndex.prototype.asksForAnother = function (text) {
  for (var word of this.words) {
    if (word.length > 1 && text.indexOf(word) >= 0 && !this.holds(word)) return true
  }
  return false
}

SearchIndex.prototype.holds = function (word) {
  if (this.present) return this.present.has(word)
  return this.candidates(word).some(function (d) { return this.texts[d].indexOf(word) >= 0 }, this)
}

/* Not every term matches: the documents holding the longest piece of the query (at least two characters and
   half of it), ranked as whole matches of that piece are (失业了怎么领钱 → 失业). */
SearchIndex.prototype.partial = function (terms) {
  var query = Array.from(terms.join(""))
  for (var length = query.length - 1; length >= 2 && length * 2 >= query.length; length--) {
    var scores = new Map()
    for (var i = 0; i + length <= query.length; i++) {
      var piece = query.slice(i, i + length).join("")
      for (var d of this.candidates(piece)) {
        var best = this.best(d, piece)
        if (best && best.score > (scores.get(d) || { score: 0 }).score) scores.set(d, { score: best.score, why: best })
      }
    }
    if (scores.size) {
      var found = []
      for (var entry of scores) {
        var weight = this.docs[entry[0]].banshi ? 2 : 1
        found.push({ doc: entry[0], score: entry[1].score * weight, why: [entry[1].why] })
      }
      return found
    }
  }
  return []
}

/* One group per page, best first; a page's sections after it. */
SearchIndex.prototype.groups = function (found, raw) {
  var self = this
  var pages = new Map()
  for (var hit of found) {
    var page = self.docs[hit.doc].location.split("#")[0]
    var group = pages.get(page)
    if (!group) pages.set(page, group = { score: 0, hits: [] })
    group.hits.push(hit)
    /* the page itself matching (its title, say) beats one of its sections matching as well */
    group.score = Math.max(group.score, hit.score + (self.docs[hit.doc].location === page ? 0.1 : 0))
  }
  var ordered = Array.from(pages.entries()).sort(function (a, b) {
    return b[1].score - a[1].score
      || self.docs[a[1].hits[0].doc].title.length - self.docs[b[1].hits[0].doc].title.length
  })
  var terms = {}
  for (var term of raw) terms[term] = true
  return ordered.map(function (entry) {
    var page = entry[0], group = entry[1]
    group.hits.sort(function (a, b) { return b.score - a.score })
    var shown = group.hits.map(function (hit) { return self.render(hit, raw, terms) })
    var article = shown.findIndex(function (doc) { return doc.location.indexOf("#") < 0 })
    if (article < 0) {
      var d = self.docs.findIndex(function (doc) { return doc.location === page })
      shown.unshift(d >= 0 ? self.render({ doc: d, score: group.score, why: [] }, [], terms) : shown[0])
    } else if (article > 0) {
      shown.unshift(shown.splice(article, 1)[0])
    }
    shown[0].score = group.score
    return shown
  })
}

SearchIndex.prototype.render = function (hit, raw, terms) {
  var doc = this.docs[hit.doc]
  var text = doc.banshi ? doc.text : excerpt(doc.text, raw)
  var notes = []
  for (var why of hit.why) {
    var note = why.field.label + "：" + why.value
    if (why.field.label && notes.indexOf(note) < 0) notes.push(note)
  }
  return {
    location: doc.location,
    title: mark(doc.title, raw),
    text: "<p>" + mark(text, raw) + (notes.length ? "<br>" + mark(notes.join("；"), raw) : "") + "</p>",
    score: hit.score,
    terms: terms
  }
}

/* Up to 80 characters of a text, around the first term found. */
function excerpt(text, raw) {
  var chars = Array.from(String(text || ""))
  if (chars.length <= 80) return chars.join("")
  var at = -1
  for (var term of raw) {
    /* found in the text itself: lower case can be longer (İ), and a lone surrogate must not match half a pair */
    var found = pattern([term], "iu").exec(String(text))
    at = found ? found.index : -1
    if (at >= 0) break
  }
  var start = Math.max(0, Array.from(String(text).slice(0, Math.max(at, 0))).length - 20)
  return (start > 0 ? "…" : "") + chars.slice(start, start + 80).join("") + (start + 80 < chars.length ? "…" : "")
}

/* A regular expression matching any of ``terms`` as written, in one group; with "u", whole characters only. */
function pattern(terms, flags) {
  return new RegExp("(" + terms.map(function (t) {
    return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  }).join("|") + ")", flags)
}

/* Escape ``text`` for HTML and put each occurrence of a term in <mark>. */
function mark(text, raw) {
  var terms = raw.filter(Boolean).sort(function (a, b) { return b.length - a.length })
  if (!terms.length) return escapeHTML(text)
  return String(text).split(pattern(terms, "giu")).map(function (part, i) {
    return i % 2 ? "<mark data-md-highlight>" + escapeHTML(part) + "</mark>" : escapeHTML(part)
  }).join("")
}

/* A large site's index comes in parts (generator/render/search.py, shard): the theme's file holds the
   hand-written pages and a manifest; the items are in chunks (search/d/<n>.json), and for every character and
   bigram the items holding it, in any field and in a name field, are in buckets (search/g/<n>.json).  A query
   fetches the buckets of its grams, then the chunks of the items holding every term, and searches those as the
   whole index would; when no item holds them all, the chunks of every item holding some gram of the query (the
   partial and fuzzy matches look no further): the same results as the whole index.  When the chunks to fetch
   weigh more than BUDGET bytes (a broad query such as 证), it first answers from the items whose names hold the
   query, within the budget, and then from all of them. */
var BUDGET = 120000
var LONG = 32  /* characters from which a query is taken as pasted text */

function ShardedIndex(pages, config, fetchJSON) {
  this.pages = pages
  this.config = Object.assign({}, config, { banshi_present: config.banshi_shards.present })
  this.manifest = config.banshi_shards
  this.fetchJSON = fetchJSON
  this.loaded = new Map()
  this.budget = this.manifest.budget || BUDGET  /* a test may ask for a smaller one */
}

/* FNV-1a over UTF-16 code units: the bucket a gram is in (as generator/render/search.py computes it). */
function bucketOf(gram, buckets) {
  var h = 2166136261
  for (var i = 0; i < gram.length; i++) {
    h ^= gram.charCodeAt(i)
    h = Math.imul(h, 16777619) >>> 0
  }
  return h % buckets
}

function decode(postings) {
  var ids = [], at = 0
  if (!postings) return ids
  for (var part of postings.split(",")) {
    at += parseInt(part, 16)
    ids.push(at)
  }
  return ids
}

function intersect(a, b) {
  var these = new Set(b)
  return a.filter(function (id) { return these.has(id) })
}

function ascending(ids) {
  return Array.from(new Set(ids)).sort(function (a, b) { return a - b })
}

ShardedIndex.prototype.file = function (path) {
  var loaded = this.loaded
  if (!loaded.has(path)) {
    loaded.set(path, this.fetchJSON(path).catch(function (err) {
      loaded.delete(path)  /* a network hiccup: the next query asks again */
      throw err
    }))
  }
  return loaded.get(path)
}

/* The terms of ``query`` as the search takes them: as written, and without question words. */
function termsOf(query) {
  var terms = String(query || "").trim().split(/\s+/).filter(Boolean).map(normalize).filter(Boolean)
  return { terms: terms, stripped: terms.map(strip).filter(Boolean) }
}

/* Every gram the search of ``query`` may look up: the bigrams of its terms, stripped or not, apart or joined
   (partial matches and everyday words run across terms), and single characters searched alone. */
function gramsOf(asked) {
  var texts = asked.terms.concat(asked.stripped, [asked.terms.join(""), asked.stripped.join("")])
  var grams = new Set()
  for (var text of texts) {
    if (Array.from(text).length === 1) grams.add(text)
    for (var g of bigrams(text)) grams.add(g)
  }
  return Array.from(grams)
}

/* The items each gram names (in any field, and in a name field), by gram. */
ShardedIndex.prototype.postings = function (grams) {
  var self = this, buckets = this.manifest.buckets
  return Promise.all(grams.map(function (g) {
    var n = bucketOf(g, buckets)
    return self.file("search/g/" + n + ".json").then(function (table) {
      var entry = table[g] || ["", ""]
      return { gram: g, bucket: n, all: decode(entry[0]), named: decode(entry[1]) }
    })
  })).then(function (found) {
    return new Map(found.map(function (f) { return [f.gram, f] }))
  })
}

/* The items holding every term (as SearchIndex.candidates finds them), in ``field`` ("all" or "named"). */
function pool(terms, table, field) {
  var result = null
  for (var term of terms) {
    var grams = Array.from(term).length === 1 ? [term] : bigrams(term)
    for (var g of grams) {
      var ids = table.get(g)[field]
      result = result === null ? ids.slice() : intersect(result, ids)
    }
  }
  return result || []
}

/* The items a partial or fuzzy match of ``terms`` may find (SearchIndex.partial, .fuzzy): those holding every
   bigram of some piece of the joined terms at least half as long as they are, or half of the terms' bigrams. */
function nearby(terms, table) {
  var chars = Array.from(terms.join(""))
  var fuzzy = new Set([].concat.apply([], terms.map(bigrams)))
  if (chars.length > LONG) {  /* a pasted paragraph: any item holding one of its bigrams, rather than a slow count */
    var any = []
    for (var f of table.values()) any = any.concat(f.all)
    return ascending(any)
  }
  /* a longer piece holds a shortest one: the items holding a shortest piece are all that partial can find */
  var shortest = Math.max(2, Math.ceil(chars.length / 2))
  var pieces = []
  if (shortest < chars.length) {
    for (var i = 0; i + shortest <= chars.length; i++) pieces.push(new Set(bigrams(chars.slice(i, i + shortest).join(""))))
  }
  var needs = fuzzy.size >= 2 ? Math.ceil(fuzzy.size / 2) : Infinity
  var counts = new Map()
  for (var g of fuzzy) for (var id of table.get(g).all) counts.set(id, (counts.get(id) || 0) + 1)
  var found = []
  for (var entry of counts) if (entry[1] >= needs) found.push(entry[0])
  for (var piece of pieces) found = found.concat(holdingAll(Array.from(piece), table))
  return ascending(found)
}

/* The items holding every one of ``grams``. */
function holdingAll(grams, table) {
  var result = null
  for (var g of grams) result = result === null ? table.get(g).all.slice() : intersect(result, table.get(g).all)
  return result || []
}

/* The chunk each of ``ids`` is in, each chunk once, ascending. */
ShardedIndex.prototype.chunksOf = function (ids) {
  var size = this.manifest.chunk
  return ascending(ids.map(function (id) { return Math.floor(id / size) }))
}

/* What fetching the chunks of ``ids`` would bring the bytes spent on this query to (loaded ones cost nothing). */
ShardedIndex.prototype.cost = function (ids, state) {
  var spent = state.spent
  for (var c of this.chunksOf(ids)) if (!this.loaded.has("search/d/" + c + ".json")) spent += this.manifest.chunks[c]
  return spent
}

/* The item documents numbered ``ids``, ascending, from their chunks, with the hand-written pages after them (as in
   the whole index), searched for ``query``. */
ShardedIndex.prototype.run = function (ids, query, state) {
  var self = this, size = this.manifest.chunk
  ids = ascending(ids)
  state.spent = this.cost(ids, state)
  var chunks = this.chunksOf(ids)
  return Promise.all(chunks.map(function (c) { return self.file("search/d/" + c + ".json") })).then(function (loaded) {
    var byChunk = new Map()
    chunks.forEach(function (c, i) { byChunk.set(c, loaded[i]) })
    var docs = ids.map(function (id) { return byChunk.get(Math.floor(id / size))[id % size] })
    return new SearchIndex(docs.concat(self.pages), self.config).search(query)
  })
}

/* The results of ``query``; ``early`` gets a first answer when the items to fetch weigh more than BUDGET. */
ShardedIndex.prototype.search = function (query, early) {
  var self = this, manifest = this.manifest
  var asked = termsOf(query)
  var grams = gramsOf(asked)
  if (!grams.length) return Promise.resolve({ items: [] })
  return this.postings(grams).then(function (table) {
    var state = { spent: 0 }
    for (var n of new Set(Array.from(table.values()).map(function (f) { return f.bucket }))) {
      state.spent += manifest.grams[n]
    }
    var holding = ascending(pool(asked.terms, table, "all").concat(pool(asked.stripped, table, "all")))
    /* first the items whose names hold the query, else those holding it anywhere */
    var named = pool(asked.stripped.length ? asked.stripped : asked.terms, table, "named")
    return self.staged(holding, named.length ? named : holding, query, state, early).then(function (result) {
      if (result.stage === "match") return result
      /* a query naming a service the site does not offer gets no partial match: nothing more to fetch */
      if (new SearchIndex([], self.config).asksForAnother(asked.stripped.join(""))) return result
      var near = nearby(asked.stripped.length ? asked.stripped : asked.terms, table)
      return self.staged(near, near, query, state, early)
    })
  })
}

/* The search of ``query`` among the items ``ids``; first among those of ``first`` that fit the budget, when all of
   them do not. */
ShardedIndex.prototype.staged = function (ids, first, query, state, early) {
  var self = this
  if (!early || this.cost(ids, state) <= this.budget) return this.run(ids, query, state)
  var some = this.within(first, state)
  if (!some.length) return this.run(ids, query, state)
  return this.run(some, query, state).then(function (answer) {
    if (answer.items.length) early(answer)  /* nothing yet is no answer: wait for the whole one */
    return self.run(ids, query, state)
  })
}

/* Those of ``ids`` in chunks already loaded or that fit the budget, in order. */
ShardedIndex.prototype.within = function (ids, state) {
  var manifest = this.manifest, spent = state.spent, chosen = [], fits = new Map()
  for (var id of ids) {
    var c = Math.floor(id / manifest.chunk)
    if (!fits.has(c)) {
      var cost = this.loaded.has("search/d/" + c + ".json") ? 0 : manifest.chunks[c]
      fits.set(c, spent + cost <= this.budget)
      if (fits.get(c)) spent += cost
    }
    if (fits.get(c)) chosen.push(id)
  }
  return chosen
}

if (typeof module === "object" && module.exports) {
  module.exports = { SearchIndex: SearchIndex, ShardedIndex: ShardedIndex, normalize: normalize, bucketOf: bucketOf }
} else {
  var index = null
  var asked = 0
  var here = self.location.href
  var fetchJSON = function (path) {
    return fetch(new URL("../../" + path, here)).then(function (answer) {
      if (!answer.ok) throw new Error(path + ": " + answer.status)
      return answer.json()
    })
  }
  self.addEventListener("message", function (ev) {
    var message = ev.data
    if (message.type === SETUP) {
      var config = message.data.config || {}
      index = config.banshi_shards
        ? new ShardedIndex(message.data.docs, config, fetchJSON)
        : new SearchIndex(message.data.docs, config)
      postMessage({ type: READY })
    } else if (message.type === QUERY) {
      var number = ++asked
      var answer = function (result) {
        if (number === asked) postMessage({ type: RESULT, data: result })  /* an older query's answer is stale */
      }
      var failed = function (err) {
        console.warn(err)
        answer({ items: [] })
      }
      try {
        var result = index ? index.search(message.data, answer) : { items: [] }
        if (result && typeof result.then === "function") result.then(answer, failed)
        else answer(result)
      } catch (err) {
        failed(err)
      }
    }
  })
}
