//! Printers from the parsed models back to file text: go.mod, go.work, go.sum and
//! vendor/modules.txt.
//!
//! go.mod and go.work come out in `go mod edit -fmt` style (x/mod `Format`): one directive group
//! per paragraph in the order `go mod init` and `go get` write them, a group with one entry on a
//! single line and a longer one as a tab-indented `verb ( ... )` block, tokens quoted only when
//! they must be (x/mod `AutoQuote`), `// indirect` as a suffix comment, the module's deprecation
//! and each retraction's rationale as `//` comments above their line. Entries keep the model's
//! order (the parser keeps file order), so parsing the printed text gives the model back; the
//! `line` fields then point at the printed lines. The comments the model does not keep are not
//! printed: to reformat a file with all of its comments, use [`super::format`].
//!
//! go.sum and modules.txt are printed in the one layout `go` writes them in.

use std::fmt::Write as _;

use super::go_mod::{GoDebug, GoMod, Replace, ReplaceTarget};
use super::go_sum::SumLine;
use super::go_work::GoWork;
use super::quote::auto_quote;
use super::vendor::ModulesTxt;

/// One line of a directive group: `//` comment lines above it, its tokens, an optional
/// suffix comment.
struct Entry {
    before: Vec<String>,
    tokens: Vec<String>,
    suffix: Option<&'static str>,
}

impl Entry {
    fn new(tokens: Vec<String>) -> Entry {
        Entry {
            before: Vec::new(),
            tokens,
            suffix: None,
        }
    }
}

/// Collects directive groups and renders them as x/mod's printer would.
#[derive(Default)]
struct Doc {
    out: String,
}

impl Doc {
    /// A group of `verb` entries: nothing when empty, one line for one entry, else a block.
    fn group(&mut self, verb: &str, entries: Vec<Entry>) {
        if entries.is_empty() {
            return;
        }
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        if let [e] = &entries[..] {
            push_comments(&mut self.out, "", &e.before);
            self.out.push_str(verb);
            push_tokens(&mut self.out, &e.tokens, e.suffix);
            return;
        }
        let _ = writeln!(self.out, "{verb} (");
        for e in &entries {
            push_comments(&mut self.out, "\t", &e.before);
            self.out.push('\t');
            let mut line = String::new();
            push_tokens(&mut line, &e.tokens, e.suffix);
            self.out.push_str(&line[1..]);
        }
        self.out.push_str(")\n");
    }
}

fn push_comments(out: &mut String, indent: &str, lines: &[String]) {
    for l in lines {
        let l = l.trim();
        let _ = writeln!(out, "{indent}//{}{l}", if l.is_empty() { "" } else { " " });
    }
}

/// ` tok tok ...` (x/mod `printer.tokens`: no space inside `[ ... ]` or before `,`), then the
/// suffix comment and a newline.
fn push_tokens(out: &mut String, tokens: &[String], suffix: Option<&str>) {
    let mut sep = " ";
    for t in tokens {
        if matches!(t.as_str(), "," | ")" | "]" | "}") {
            sep = "";
        }
        out.push_str(sep);
        out.push_str(t);
        sep = if matches!(t.as_str(), "(" | "[" | "{") {
            ""
        } else {
            " "
        };
    }
    if let Some(s) = suffix {
        out.push(' ');
        out.push_str(s);
    }
    out.push('\n');
}

/// x/mod `AutoQuote`, and also quotes a lone `( ) [ ] { } ,`, which `AutoQuote` leaves bare
/// and the parser would then read as punctuation (`tool )` inside a block ends the block).
fn q(s: &str) -> String {
    if s.len() == 1 && "()[]{},".contains(s) {
        return super::quote::go_quote(s);
    }
    auto_quote(s).into_owned()
}

fn one(verb_value: Option<&String>) -> Vec<Entry> {
    verb_value
        .map(|v| Entry::new(vec![v.clone()]))
        .into_iter()
        .collect()
}

fn godebug_entries(godebug: &[GoDebug]) -> Vec<Entry> {
    godebug
        .iter()
        .map(|g| Entry::new(vec![format!("{}={}", g.key, g.value)]))
        .collect()
}

fn replace_entries(replace: &[Replace]) -> Vec<Entry> {
    let entry = |r: &Replace| {
        let mut t = vec![q(&r.old_path)];
        t.extend(r.old_version.clone());
        t.push("=>".into());
        match &r.new {
            ReplaceTarget::Dir(d) => t.push(q(d)),
            ReplaceTarget::Module { path, version } => t.extend([q(path), version.clone()]),
        }
        Entry::new(t)
    };
    replace.iter().map(entry).collect()
}

/// Prints a go.mod from its model in `go mod edit -fmt` style (see the module docs).
pub fn print_go_mod(m: &GoMod) -> String {
    let mut d = Doc::default();
    if let Some(module) = &m.module {
        let mut e = Entry::new(vec![q(&module.path)]);
        if let Some(msg) = &module.deprecated {
            // `split`, not `lines`: a message can end in an empty comment line (`//`).
            e.before = format!("Deprecated: {msg}")
                .split('\n')
                .map(str::to_string)
                .collect();
        }
        d.group("module", vec![e]);
    }
    d.group("go", one(m.go.as_ref()));
    d.group("toolchain", one(m.toolchain.as_ref()));
    d.group("godebug", godebug_entries(&m.godebug));
    let require = m.require.iter().map(|r| Entry {
        suffix: r.indirect.then_some("// indirect"),
        ..Entry::new(vec![q(&r.path), r.version.clone()])
    });
    d.group("require", require.collect());
    let exclude = m
        .exclude
        .iter()
        .map(|x| Entry::new(vec![q(&x.path), x.version.clone()]));
    d.group("exclude", exclude.collect());
    d.group("replace", replace_entries(&m.replace));
    let retract = m.retract.iter().map(|r| {
        let tokens = if r.low == r.high {
            vec![q(&r.low)]
        } else {
            ["[", &q(&r.low), ",", &q(&r.high), "]"]
                .map(str::to_string)
                .to_vec()
        };
        Entry {
            before: r.rationale.split('\n').map(str::to_string).collect(),
            ..Entry::new(tokens)
        }
    });
    let retract = retract.map(|mut e| {
        if e.before == [""] {
            e.before.clear();
        }
        e
    });
    d.group("retract", retract.collect());
    d.group(
        "tool",
        m.tool.iter().map(|t| Entry::new(vec![q(t)])).collect(),
    );
    d.group(
        "ignore",
        m.ignore.iter().map(|t| Entry::new(vec![q(t)])).collect(),
    );
    d.out
}

/// Prints a go.work from its model in `go work edit -fmt` style: `go`, `toolchain`, `godebug`,
/// `use`, `replace`. (`UseDir::module_path` is never printed: go.work has no syntax for it.)
pub fn print_go_work(w: &GoWork) -> String {
    let mut d = Doc::default();
    d.group("go", one(w.go.as_ref()));
    d.group("toolchain", one(w.toolchain.as_ref()));
    d.group("godebug", godebug_entries(&w.godebug));
    let uses = w.use_dirs.iter().map(|u| Entry::new(vec![q(&u.path)]));
    d.group("use", uses.collect());
    d.group("replace", replace_entries(&w.replace));
    d.out
}

/// Prints go.sum lines as `go` writes them: `path version[/go.mod] hash`, one per line, in the
/// given order. (Malformed lines are not in the model, so they are not printed.)
pub fn print_go_sum(lines: &[SumLine]) -> String {
    let mut out = String::new();
    for l in lines {
        let go_mod = if l.go_mod { "/go.mod" } else { "" };
        let _ = writeln!(out, "{} {}{go_mod} {}", l.path, l.version, l.hash);
    }
    out
}

/// Prints vendor/modules.txt as `go mod vendor` writes it: an optional `## workspace` first
/// line, then per module `# path [version] [=> target]`, a `## explicit; go 1.x` annotation line
/// when there is something to annotate, and its packages.
pub fn print_modules_txt(txt: &ModulesTxt) -> String {
    let mut out = String::new();
    if txt.workspace {
        out.push_str("## workspace\n");
    }
    for m in &txt.modules {
        out.push_str("# ");
        out.push_str(&m.path);
        if let Some(v) = &m.version {
            let _ = write!(out, " {v}");
        }
        match &m.replacement {
            Some(ReplaceTarget::Dir(d)) => {
                let _ = write!(out, " => {d}");
            }
            Some(ReplaceTarget::Module { path, version }) => {
                let _ = write!(out, " => {path} {version}");
            }
            // A bare `# path =>` header (no version, no usable target): the parser keeps the
            // module, and reads this line back the same way.
            None if m.version.is_none() => out.push_str(" =>"),
            None => {}
        }
        out.push('\n');
        let mut notes = Vec::new();
        if m.explicit {
            notes.push("explicit".to_string());
        }
        if let Some(g) = &m.go_version {
            notes.push(format!("go {g}"));
        }
        if !notes.is_empty() {
            let _ = writeln!(out, "## {}", notes.join("; "));
        }
        for p in &m.packages {
            let _ = writeln!(out, "{p}");
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod strategies;
#[cfg(test)]
mod tests;
