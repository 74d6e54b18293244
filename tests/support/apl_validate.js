// Validates APL documents with Amazon's apl-suggester (pinned in package.json): reads a JSON array of documents
// on stdin, prints a JSON array with each document's findings. A crash exits non-zero: the test treats it as a
// failure, not as a document without findings.
const { StaticAplTemplateValidator } = require("apl-suggester");

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", async () => {
  const documents = JSON.parse(input);
  const results = [];
  const log = console.log;
  for (const doc of documents) {
    console.log = () => {};  // the suggester logs its own progress on stdout
    try {
      results.push(await new StaticAplTemplateValidator().validate(doc));
    } finally {
      console.log = log;
    }
  }
  process.stdout.write(JSON.stringify(results));
});
