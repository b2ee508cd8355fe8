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
