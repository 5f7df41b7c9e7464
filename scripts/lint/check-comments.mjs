// `npm run lint:comments`: fails on a comment that cites a document outside the repository
// ("DESIGN §3", "§4", "issue 5", "#12", "the manual"). A reader of the code has none of those,
// so a comment says what it means itself. Only comments are read, never strings or code.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** This checker: its own comments name what it looks for. */
const SELF = /^scripts\/lint\/check-comments\.mjs$/;

const EXEMPT = [SELF];

/** What a citation of an outside document looks like. */
const CITATIONS = [
  { pattern: /\bDESIGN\b/, what: 'the design document' },
  { pattern: /\b(?:DESIGN|ENVIRONMENT|BRIEF)\.md\b/i, what: 'a document outside the repository' },
  { pattern: /§/, what: 'a section of an outside document' },
  { pattern: /\bissue #?\d+/i, what: 'an issue' },
  { pattern: /(?<![\w&/#-])#\d+\b/, what: 'an issue or pull request number' },
  { pattern: /\bthe manual\b/i, what: 'the manual' },
];

const SCRIPT = /\.(?:[cm]?[jt]sx?)$/;

/** Each comment of a file with its line number. */
function* comments(path, text) {
  if (SCRIPT.test(path)) {
    // Parsed, not scanned: only the parser knows a regular expression or a template from a comment.
    const kind = /x$/.test(path) ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, kind);
    const seen = new Set();
    const found = [];
    const collect = (ranges) => {
      for (const range of ranges ?? []) {
        if (seen.has(range.pos)) continue;
        seen.add(range.pos);
        found.push(range);
      }
    };
    const visit = (node) => {
      // JSX text has no trivia: a "//" in it is text on the page, not a comment.
      if (node.kind !== ts.SyntaxKind.JsxText) collect(ts.getLeadingCommentRanges(text, node.pos));
      collect(ts.getTrailingCommentRanges(text, node.end));
      for (const child of node.getChildren(source)) visit(child);
    };
    visit(source);
    found.sort((a, b) => a.pos - b.pos);
    for (const range of found) yield { line: source.getLineAndCharacterOfPosition(range.pos).line + 1, text: text.slice(range.pos, range.end) };
    return;
  }
  // Prisma schema (// and ///) and SQL (--): comments run to the end of the line.
  const marker = path.endsWith('.sql') ? '--' : '//';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const at = lines[i].indexOf(marker);
    if (at >= 0) yield { line: i + 1, text: lines[i].slice(at) };
  }
}

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((path) => /\.(?:[cm]?[jt]sx?|prisma|sql)$/.test(path) && !EXEMPT.some((pattern) => pattern.test(path)));

const problems = [];
for (const path of files) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    continue; // listed by git but deleted in the working tree
  }
  for (const comment of comments(path, text)) {
    for (const { pattern, what } of CITATIONS) {
      const match = pattern.exec(comment.text);
      if (match)
        problems.push(
          `${path}:${comment.line + comment.text.slice(0, match.index).split('\n').length - 1}: cites ${what} ("${match[0]}"); say what it means instead`,
        );
    }
  }
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`\n${problems.length} comment(s) cite documents outside the repository.`);
  process.exit(1);
}
console.log(`check-comments: ${files.length} files, no comment cites an outside document`);
