//! Rules of the layout that a reviewer should not have to police by hand.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The engine (crates/gomodcache) is a crate of its own so that the compiler, not a text search,
/// keeps terminal, async and network code out of it. This reads Cargo.lock, the resolved graph
/// `cargo tree -p gomodcache` prints, and walks everything the engine can link.
#[test]
fn the_engine_links_no_terminal_async_or_network_crate() {
    let lock =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap();
    let mut deps: std::collections::HashMap<String, Vec<String>> = Default::default();
    for package in lock.split("[[package]]").skip(1) {
        let name = package
            .lines()
            .find_map(|l| l.strip_prefix("name = \""))
            .map(|n| n.trim_end_matches('"').to_string())
            .unwrap();
        // `dependencies = [ "a", "b 1.0.0", ]`: the name is the first word of each entry.
        let listed = package
            .split_once("dependencies = [")
            .map(|(_, rest)| rest.split(']').next().unwrap_or(""))
            .unwrap_or("");
        let names = listed
            .split('"')
            .skip(1)
            .step_by(2)
            .map(|d| d.split(' ').next().unwrap().to_string())
            .collect();
        deps.insert(name, names);
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut todo = vec!["gomodcache".to_string()];
    while let Some(name) = todo.pop() {
        if seen.insert(name.clone()) {
            todo.extend(deps.get(&name).cloned().unwrap_or_default());
        }
    }
    assert!(seen.contains("sha2") && seen.len() > 20, "{seen:?}");
    for banned in [
        "ratatui",
        "crossterm",
        "tokio",
        "futures",
        "ureq",
        "rustls",
        "modscope",
    ] {
        assert!(
            !seen.contains(banned),
            "the engine links {banned}: it must stay free of UI, async runtime and network code"
        );
    }
}

/// Every message to stderr goes through `say!` (src/cli/mod.rs), which escapes control
/// characters: a raw `eprintln!` would let a path or module name with escape sequences reach the
/// terminal as it is. The inspector draws through ratatui and never prints to stderr.
#[test]
fn stderr_is_written_only_through_the_escaping_macros() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("crates/gomodcache/src"), &mut files);
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("cli/mod.rs"))
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            text.contains("eprintln!(") || text.contains("eprint!(")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "raw eprintln!/eprint! in {offenders:?}: use say!/say_partial!"
    );
}

/// No file imports a file that imports it back, in either crate: every import circle found is
/// named with the imports that close it. A file's modules are found from its path; its imports are
/// the `crate::`, `super::` and `self::` paths in its code (test modules and comments left out),
/// each resolved to the deepest module file it names. A module's `pub use` of its own children
/// (its interface) is not counted.
#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for src in [root.join("src"), root.join("crates/gomodcache/src")] {
        let graph = imports::module_graph(&src);
        assert!(
            graph.len() > 30,
            "{} modules in {}",
            graph.len(),
            src.display()
        );
        let circles = imports::circles(&graph);
        assert!(
            circles.is_empty(),
            "import circles in {}:\n{}",
            src.display(),
            circles.join("\n")
        );
    }
}

#[test]
fn the_import_reader_finds_a_circle_through_a_use_group_and_a_super_path() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path();
    std::fs::create_dir_all(src.join("a")).unwrap();
    std::fs::write(src.join("lib.rs"), "pub mod a;\npub mod b;\n").unwrap();
    std::fs::write(
        src.join("a/mod.rs"),
        "pub mod x;\npub mod y;\npub use x::X;\n",
    )
    .unwrap();
    std::fs::write(src.join("a/x.rs"), "use super::{y::Y};\npub struct X;\n").unwrap();
    std::fs::write(
        src.join("a/y.rs"),
        "// crate::b is only mentioned\npub struct Y;\nfn f() { crate::a::x::X; }\n",
    )
    .unwrap();
    std::fs::write(src.join("b.rs"), "use crate::a::{self, x::X};\n").unwrap();
    let graph = imports::module_graph(src);
    let circles = imports::circles(&graph);
    assert_eq!(circles.len(), 1, "{circles:?}");
    assert!(
        circles[0].contains("a/x") && circles[0].contains("a/y"),
        "{circles:?}"
    );
    assert!(
        graph["b"].contains("a/x") && !graph["a/y"].contains("b"),
        "{graph:?}"
    );
}

/// Reads the module files of a crate and the imports between them.
mod imports {
    use super::rust_files;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    /// Module name ("a/b", "" for the crate root) → the modules its code imports.
    pub type Graph = BTreeMap<String, BTreeSet<String>>;

    fn module_name(rel: &Path) -> Option<Vec<String>> {
        let mut parts: Vec<String> = rel
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.iter().any(|p| p == "tests") {
            return None;
        }
        if matches!(
            parts.last().map(String::as_str),
            Some("mod" | "lib" | "main")
        ) {
            parts.pop();
        }
        Some(parts)
    }

    /// The code of a file without its `#[cfg(test)] mod tests` and its comment lines.
    fn code(text: &str) -> String {
        let end = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
        text[..end]
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Expands a use tree (`a::{b, c::{d, e}}`) into its paths.
    fn expand(tree: &str) -> Vec<String> {
        let tree = tree.trim();
        let Some(open) = tree.find('{') else {
            return vec![tree.split(" as ").next().unwrap().trim().to_string()];
        };
        let head = tree[..open].trim_end_matches("::");
        let inner = &tree[open + 1..tree.rfind('}').unwrap()];
        let (mut items, mut depth, mut start) = (Vec::new(), 0, 0);
        for (i, ch) in inner.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    items.push(&inner[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        items.push(&inner[start..]);
        items
            .into_iter()
            .filter(|i| !i.trim().is_empty())
            .flat_map(expand)
            .map(|p| match p.as_str() {
                "self" => head.to_string(),
                _ => format!("{head}::{p}"),
            })
            .collect()
    }

    fn is_ident(c: char) -> bool {
        c.is_ascii_alphanumeric() || c == '_'
    }

    /// The paths (`a::b::c`) written outside use statements; `resolve` keeps those that name a
    /// module of the crate.
    fn inline_paths(code: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (i, _) in code.match_indices("::") {
            let before = &code[..i];
            let word_start = before.rfind(|c: char| !is_ident(c)).map_or(0, |j| j + 1);
            let first = &before[word_start..];
            let preceded_by_path = before[..word_start].ends_with("::");
            if first.is_empty() || preceded_by_path {
                continue;
            }
            let rest = &code[word_start..];
            let len = rest
                .find(|c: char| !(is_ident(c) || c == ':'))
                .unwrap_or(rest.len());
            out.push(rest[..len].trim_end_matches(':').to_string());
        }
        out
    }

    fn resolve(
        from: &[String],
        path: &str,
        modules: &BTreeSet<Vec<String>>,
    ) -> Option<Vec<String>> {
        let mut segs = path.split("::").filter(|s| !s.is_empty()).peekable();
        let mut base: Vec<String> = match segs.peek().copied() {
            Some("crate") => {
                segs.next();
                Vec::new()
            }
            Some("super" | "self") => from.to_vec(),
            // A path may start with a child module's name (`use plan::Plan;`, `writer::write()`).
            Some(child) if modules.contains(&[from, &[child.to_string()]].concat()) => {
                from.to_vec()
            }
            _ => return None,
        };
        while let Some(s @ ("super" | "self")) = segs.peek().copied() {
            if s == "super" {
                base.pop()?;
            }
            segs.next();
        }
        let mut best = modules.contains(&base).then(|| base.clone());
        for s in segs {
            base.push(s.to_string());
            if !modules.contains(&base) {
                break;
            }
            best = Some(base.clone());
        }
        best
    }

    pub fn module_graph(src: &Path) -> Graph {
        let mut files = Vec::new();
        rust_files(src, &mut files);
        let named: Vec<(Vec<String>, String)> = files
            .iter()
            .filter_map(|f| {
                let name = module_name(f.strip_prefix(src).unwrap())?;
                Some((name, code(&std::fs::read_to_string(f).unwrap())))
            })
            .collect();
        let modules: BTreeSet<Vec<String>> = named.iter().map(|(n, _)| n.clone()).collect();
        let mut graph = Graph::new();
        for (name, code) in &named {
            let mut imported = BTreeSet::new();
            let mut outside_use = String::new();
            let mut lines = code.lines();
            while let Some(line) = lines.next() {
                let trimmed = line.trim_start();
                let after_vis = trimmed.strip_prefix("pub ").or_else(|| {
                    trimmed
                        .split_once(") ")
                        .filter(|_| trimmed.starts_with("pub("))
                        .map(|(_, r)| r)
                });
                let reexport = after_vis.is_some();
                let Some(tree) = after_vis.unwrap_or(trimmed).strip_prefix("use ") else {
                    outside_use.push_str(line);
                    outside_use.push('\n');
                    continue;
                };
                let mut statement = tree.to_string();
                while !statement.contains(';') {
                    match lines.next() {
                        Some(more) => statement.push_str(more),
                        None => break,
                    }
                }
                let tree = statement.split(';').next().unwrap();
                for path in expand(tree) {
                    if let Some(target) = resolve(name, &path, &modules) {
                        let own_child = target.len() > name.len() && target.starts_with(name);
                        if !(reexport && own_child) {
                            imported.insert(target);
                        }
                    }
                }
            }
            for path in inline_paths(&outside_use) {
                imported.extend(resolve(name, &path, &modules));
            }
            imported.remove(name);
            graph.insert(
                name.join("/"),
                imported.into_iter().map(|m| m.join("/")).collect(),
            );
        }
        graph
    }

    /// Every module that can reach itself, with the path back, one line each.
    pub fn circles(graph: &Graph) -> Vec<String> {
        let mut found = Vec::new();
        let mut reported = BTreeSet::new();
        for start in graph.keys() {
            if reported.contains(start) {
                continue;
            }
            // Depth-first search from start's imports, remembering how each module was reached.
            let mut came_from: BTreeMap<&String, &String> = BTreeMap::new();
            let mut todo: Vec<&String> = vec![start];
            while let Some(m) = todo.pop() {
                for next in graph.get(m).into_iter().flatten() {
                    if next == start {
                        let mut back = Vec::new();
                        let mut at = m;
                        while at != start {
                            back.push(at.clone());
                            at = came_from[at];
                        }
                        back.reverse();
                        let mut cycle = vec![start.clone()];
                        cycle.extend(back);
                        cycle.push(start.clone());
                        reported.extend(cycle.iter().cloned());
                        found.push(cycle.join(" -> "));
                        todo.clear();
                        break;
                    }
                    if !came_from.contains_key(next) && graph.contains_key(next) {
                        came_from.insert(next, m);
                        todo.push(next);
                    }
                }
            }
        }
        found
    }
}

/// Files are split by responsibility before they grow past about 400 lines; this keeps the
/// bound (420, so a doc comment added to a full file does not fail the build at once).
#[test]
fn no_source_file_passes_about_400_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [
        "src",
        "crates/gomodcache/src",
        "crates/gomodcache/examples",
        "tests",
        "examples",
    ] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 100, "{} files", files.len());
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).unwrap().lines().count();
            (lines > 420).then(|| format!("{} ({lines} lines)", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split by responsibility: {long:?}");
}
