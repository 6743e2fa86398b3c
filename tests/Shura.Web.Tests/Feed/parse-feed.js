// Reads a feed on standard input with feedparser (npm), an independent parser, and prints what it
// understood as JSON, or the parser's error with exit code 1. Run by AtomFeedTests.
"use strict";
const FeedParser = require("feedparser");
const parser = new FeedParser({ normalize: true, addmeta: false });
const items = [];
let meta = null;
parser.on("error", (error) => { console.error(String(error)); process.exit(1); });
parser.on("meta", (m) => { meta = m; });
parser.on("readable", function () {
  let item;
  while ((item = this.read())) items.push(item);
});
parser.on("end", () => {
  console.log(JSON.stringify({
    type: meta["#type"], title: meta.title, link: meta.link, xmlurl: meta.xmlurl, date: meta.date, author: meta.author,
    items: items.map((i) => ({ guid: i.guid, title: i.title, link: i.link, author: i.author, date: i.date, pubdate: i.pubdate, description: i.description, categories: i.categories })),
  }));
});
process.stdin.pipe(parser);
