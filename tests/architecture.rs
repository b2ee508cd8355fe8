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

#[test]
fn the_core_imports_no_terminal_or_async_crate() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core"),
        &mut files,
    );
    assert!(files.len() > 10);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for banned in ["ratatui", "crossterm", "tokio", "ureq", "crate::net"] {
            assert!(
                !text.contains(banned),
                "{} mentions {banned}: the core must stay UI-, runtime- and network-free",
                f.display()
            );
        }
    }
}

/// Every message to stderr goes through `say!` (src/cli/mod.rs), which escapes control
/// characters: a raw `eprintln!` would let a path or module name with escape sequences reach the
/// terminal as it is. The inspector draws through ratatui and never prints to stderr.
#[test]
fn stderr_is_written_only_through_the_escaping_macros() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
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
