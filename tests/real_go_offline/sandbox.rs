//! The shared sandbox: a proxy with needed and unneeded modules, a tidy project with a local
//! replacement, test-only imports and files go build ignores, and helpers to run modscope and go.

use super::support::{GoSandbox, module, remove};
use gomodcache::offline::verdict::OfflineReport;
use gomodcache::synth::SynthModule;
use std::path::Path;
use std::sync::OnceLock;

pub fn world() -> Vec<SynthModule> {
    vec![
        module(
            "example.com/a",
            "v1.0.0",
            Some("1.17"),
            &[("example.com/b", "v1.0.0")],
            "import \"example.com/b\"\n\nfunc A() string { return b.B() }",
        ),
        module(
            "example.com/b",
            "v1.0.0",
            Some("1.17"),
            &[],
            "func B() string { return \"b\" }",
        ),
        // Not needed by anything: must stay out of the bundle.
        module(
            "example.com/b",
            "v1.1.0",
            Some("1.17"),
            &[],
            "func B() string { return \"b11\" }",
        ),
        module(
            "example.com/x",
            "v1.0.0",
            Some("1.17"),
            &[],
            "func X() int { return 1 }",
        ),
        // Only the main module's tests import it.
        module(
            "example.com/t",
            "v1.0.0",
            Some("1.17"),
            &[],
            "func T() int { return 1 }",
        ),
    ]
}

pub const GO_MOD: &str = "module example.com/main\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/local v0.0.0\n\texample.com/t v1.0.0\n)\n\nreplace example.com/local => ./local\n";

pub const MAIN_GO: &str = "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/a\"\n\t\"example.com/local\"\n)\n\nfunc main() { fmt.Println(a.A(), local.L()) }\n";

/// Files go build ignores; written after tidy (tidy would chase the Windows import).
pub const IGNORED: &[(&str, &str)] = &[
    (
        "gen.go",
        "//go:build ignore\n\npackage main\n\nimport _ \"example.com/gen\"\n",
    ),
    (
        "sys_windows.go",
        "package main\n\nimport _ \"example.com/win\"\n",
    ),
    (
        "testdata/td.go",
        "package td\n\nimport _ \"example.com/nope\"\n",
    ),
    (
        "_hidden/h.go",
        "package h\n\nimport _ \"example.com/nope\"\n",
    ),
    ("nested/go.mod", "module example.com/nested\n\ngo 1.21\n"),
    (
        "nested/n.go",
        "package nested\n\nimport _ \"example.com/nope\"\n",
    ),
];

pub fn sandbox() -> &'static GoSandbox {
    static SB: OnceLock<GoSandbox> = OnceLock::new();
    SB.get_or_init(|| {
        // A static is never dropped: keep it under target/tmp and clear the last run's.
        let parent = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("real_go_offline");
        let _ = std::process::Command::new("chmod").args(["-R", "u+w"]).arg(&parent).status();
        let _ = std::fs::remove_dir_all(&parent);
        let sb = GoSandbox::new_in(&parent, &world());
        sb.write_project(
            GO_MOD,
            &[
                ("main.go", MAIN_GO),
                ("main_test.go", "package main\n\nimport (\n\t\"testing\"\n\n\t\"example.com/t\"\n)\n\nfunc TestT(x *testing.T) { _ = t.T() }\n"),
                ("local/go.mod", "module example.com/local\n\ngo 1.21\n"),
                ("local/local.go", "package local\n\nfunc L() int { return 5 }\n"),
            ],
        );
        sb.go_ok(&["mod", "tidy"]);
        sb.write_project(&std::fs::read_to_string(sb.project.join("go.mod")).unwrap(), IGNORED);
        sb.go_ok(&["build", "./..."]);
        sb
    })
}

pub type Env = &'static [(&'static str, &'static str)];
pub const READONLY: Env = &[("GOFLAGS", "-modcacherw"), ("GOPROXY", "off")];
pub const MODMOD: Env = &[("GOFLAGS", "-modcacherw -mod=mod"), ("GOPROXY", "off")];

pub fn verdict(sb: &GoSandbox, env: &[(&str, &str)]) -> (OfflineReport, i32) {
    let cache = sb.cache.display().to_string();
    let out = sb
        .command(
            env!("CARGO_BIN_EXE_modscope"),
            &["offline", "--json", "--modcache", &cache],
            &sb.project,
        )
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let r: OfflineReport = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (r, out.status.code().unwrap())
}

pub fn go_build(sb: &GoSandbox, env: &[(&str, &str)]) -> (bool, String) {
    let out = sb
        .command("go", &["build", "./..."], &sb.project)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn cache_files(
    sb: &GoSandbox,
    path: &str,
    version: &str,
) -> gomodcache::cache::layout::ModuleFiles {
    gomodcache::cache::layout::ModuleCache::new(&sb.cache)
        .files(path, version)
        .unwrap()
}

pub fn edit(p: &Path, f: impl Fn(&str) -> Option<String>) {
    let text = std::fs::read_to_string(p).unwrap();
    let out: Vec<String> = text.lines().filter_map(f).collect();
    std::fs::write(p, out.join("\n") + "\n").unwrap();
}

pub fn drop_zip(sb: &GoSandbox, path: &str, version: &str) {
    let f = cache_files(sb, path, version);
    for p in [&f.zip, &f.ziphash] {
        remove(p);
    }
    remove(&f.dir);
}

/// `go mod vendor` (which looks at every platform, so the Windows-only import goes first).
pub fn vendor(sb: &GoSandbox) {
    remove(&sb.project.join("sys_windows.go"));
    let out = sb
        .command("go", &["mod", "vendor"], &sb.project)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
