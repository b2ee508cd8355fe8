//! A hermetic Go sandbox for integration tests: a `file://` GOPROXY of synthetic modules, a
//! temporary GOMODCACHE, HOME, GOPATH and build cache, and the real `go` run with no network.

#![allow(dead_code)]

pub mod http_server;

use gomodcache::synth::{SynthModule, write_proxy};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct GoSandbox {
    pub tmp: tempfile::TempDir,
    pub proxy: PathBuf,
    pub cache: PathBuf,
    pub project: PathBuf,
}

/// go's build cache, shared by every sandbox of a test run and kept under the target directory
/// (never the user's cache). It holds compiled packages keyed by their inputs, and go locks it for
/// concurrent use, so sharing it changes nothing a test checks about modules; with a fresh cache
/// per sandbox, every `go build ./...` compiled fmt and its dependencies again (39 s wall,
/// 10.9 s CPU for one cold build on the 2-core machine, 0.3 s warm).
pub fn shared_gocache() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("go-build-cache")
}

impl GoSandbox {
    /// Writes the proxy and an empty project directory.
    pub fn new(modules: &[SynthModule]) -> GoSandbox {
        let tmp = tempfile::Builder::new()
            .prefix("modscope-it-")
            .tempdir()
            .unwrap();
        Self::fill(tmp, modules)
    }

    /// A sandbox under `parent` (for one kept in a `static`, which is never dropped: put it
    /// under `CARGO_TARGET_TMPDIR` and wipe that at the start of the run, not in /tmp).
    pub fn new_in(parent: &Path, modules: &[SynthModule]) -> GoSandbox {
        std::fs::create_dir_all(parent).unwrap();
        let tmp = tempfile::Builder::new()
            .prefix("modscope-it-")
            .tempdir_in(parent)
            .unwrap();
        Self::fill(tmp, modules)
    }

    fn fill(tmp: tempfile::TempDir, modules: &[SynthModule]) -> GoSandbox {
        let proxy = tmp.path().join("proxy");
        let cache = tmp.path().join("modcache");
        let project = tmp.path().join("project");
        for d in [
            &proxy,
            &project,
            &tmp.path().join("home"),
            &tmp.path().join("gopath"),
        ] {
            std::fs::create_dir_all(d).unwrap();
        }
        write_proxy(&proxy, modules).unwrap();
        GoSandbox {
            tmp,
            proxy,
            cache,
            project,
        }
    }

    /// The environment go runs with: everything inside the sandbox, no network, no sumdb.
    pub fn go_env(&self) -> Vec<(String, String)> {
        let t = self.tmp.path();
        let s = |p: PathBuf| p.display().to_string();
        vec![
            ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
            ("HOME".into(), s(t.join("home"))),
            ("GOPATH".into(), s(t.join("gopath"))),
            ("GOMODCACHE".into(), s(self.cache.clone())),
            ("GOCACHE".into(), s(shared_gocache())),
            ("GOENV".into(), "off".into()),
            ("GOFLAGS".into(), "-modcacherw".into()),
            ("GOPROXY".into(), format!("file://{}", self.proxy.display())),
            ("GOSUMDB".into(), "off".into()),
            ("GOTOOLCHAIN".into(), "local".into()),
            ("GOWORK".into(), "off".into()),
            ("GO111MODULE".into(), "on".into()),
            ("CGO_ENABLED".into(), "0".into()),
        ]
    }

    pub fn command(&self, program: &str, args: &[&str], dir: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.args(args)
            .current_dir(dir)
            .env_clear()
            .envs(self.go_env());
        cmd
    }

    /// Runs the real `go` in the project; panics with its output unless `expect_ok` matches.
    pub fn go(&self, args: &[&str]) -> Output {
        self.command("go", args, &self.project)
            .output()
            .expect("the real `go` must be installed for integration tests")
    }

    pub fn go_ok(&self, args: &[&str]) -> Output {
        let out = self.go(args);
        assert!(
            out.status.success(),
            "go {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Runs the modscope binary with the sandbox environment and `--modcache`.
    pub fn modscope(&self, args: &[&str]) -> Output {
        let mut all: Vec<&str> = args.to_vec();
        let cache = self.cache.display().to_string();
        all.extend(["--modcache", &cache]);
        self.command(env!("CARGO_BIN_EXE_modscope"), &all, &self.project)
            .output()
            .unwrap()
    }

    pub fn write_project(&self, go_mod: &str, files: &[(&str, &str)]) {
        std::fs::write(self.project.join("go.mod"), go_mod).unwrap();
        for (name, body) in files {
            let p = self.project.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, body).unwrap();
        }
    }

    /// A copy of the sandbox (cache and project) so each fault starts from the same good state.
    pub fn fork(&self) -> GoSandbox {
        let tmp = tempfile::Builder::new()
            .prefix("modscope-it-")
            .tempdir()
            .unwrap();
        let status = Command::new("cp")
            .arg("-a")
            .arg(format!("{}/.", self.tmp.path().display()))
            .arg(tmp.path())
            .status()
            .unwrap();
        assert!(status.success());
        GoSandbox {
            proxy: tmp.path().join("proxy"),
            cache: tmp.path().join("modcache"),
            project: tmp.path().join("project"),
            tmp,
        }
    }
}

impl Drop for GoSandbox {
    /// go makes extracted trees read-only; make them writable so the temp dir can be removed.
    fn drop(&mut self) {
        let _ = Command::new("chmod")
            .args(["-R", "u+w"])
            .arg(self.tmp.path())
            .status();
    }
}

/// Makes a file writable (extracted module files are 0444) and writes it.
pub fn force_write(path: &Path, data: &[u8]) {
    make_writable(path);
    std::fs::write(path, data).unwrap();
}

pub fn make_writable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Some(parent) = path.parent()
        && let Ok(m) = std::fs::metadata(parent)
    {
        let mut p = m.permissions();
        p.set_mode(p.mode() | 0o200);
        let _ = std::fs::set_permissions(parent, p);
    }
    if let Ok(m) = std::fs::metadata(path) {
        let mut p = m.permissions();
        p.set_mode(p.mode() | 0o200);
        let _ = std::fs::set_permissions(path, p);
    }
}

pub fn remove(path: &Path) {
    make_writable(path);
    if path.is_dir() {
        let _ = Command::new("chmod").args(["-R", "u+w"]).arg(path).status();
        std::fs::remove_dir_all(path).unwrap();
    } else {
        std::fs::remove_file(path).unwrap();
    }
}

/// `example.com/alpha v1.0.0`: `func A() int { return 1 }`. With [`beta`] and [`gamma`], the
/// small modules the end-to-end tests build their projects from.
pub fn alpha() -> SynthModule {
    module(
        "example.com/alpha",
        "v1.0.0",
        Some("1.17"),
        &[],
        "func A() int { return 1 }",
    )
}

/// `example.com/beta v1.2.0`: `func B() int { return 2 }`.
pub fn beta() -> SynthModule {
    module(
        "example.com/beta",
        "v1.2.0",
        Some("1.17"),
        &[],
        "func B() int { return 2 }",
    )
}

/// `example.com/gamma v0.3.1`: `func G() int { return 3 }`.
pub fn gamma() -> SynthModule {
    module(
        "example.com/gamma",
        "v0.3.1",
        Some("1.17"),
        &[],
        "func G() int { return 3 }",
    )
}

/// Deletes `path@version` from the sandbox's module cache entirely: its extracted tree (when
/// there) and every `cache/download/<path>/@v/<version>.*` file. Returns how many download files
/// it removed.
pub fn delete_from_cache(sb: &GoSandbox, path: &str, version: &str) -> usize {
    let tree = sb.cache.join(format!("{path}@{version}"));
    if tree.exists() {
        remove(&tree);
    }
    let mut removed = 0;
    let download_dir = sb.cache.join(format!("cache/download/{path}/@v"));
    for entry in std::fs::read_dir(&download_dir).unwrap().flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(&format!("{version}."))
        {
            remove(&entry.path());
            removed += 1;
        }
    }
    removed
}

/// A module with one Go file `<pkg>.go` holding `src`, and a go.mod unless `go` is None.
pub fn module(
    path: &str,
    version: &str,
    go: Option<&str>,
    requires: &[(&str, &str)],
    src: &str,
) -> SynthModule {
    let pkg = path.rsplit('/').next().unwrap().to_lowercase();
    let go_mod = go.map(|g| {
        let mut s = format!("module {path}\n\ngo {g}\n");
        for (p, v) in requires {
            s.push_str(&format!("\nrequire {p} {v}\n"));
        }
        s
    });
    SynthModule {
        path: path.into(),
        version: version.into(),
        go_mod,
        files: vec![
            (
                format!("{pkg}.go"),
                format!("package {pkg}\n\n{src}\n").into_bytes(),
            ),
            ("LICENSE".into(), b"Synthetic test module.\n".to_vec()),
        ],
    }
}

/// Builds tests/support/fakesumdb against the x/mod packages vendored in GOROOT (no network)
/// and runs it over the proxy for `modules` (`path@version`, each in the proxy): the proxy then
/// serves a checksum database under `sumdb/sum.example.test/`. Returns the verifier key, for
/// GOSUMDB.
pub fn fake_sumdb(sb: &GoSandbox, modules: &[&str]) -> String {
    let work = sb.tmp.path().join("fakesumdb");
    let goroot = String::from_utf8(sb.go_ok(&["env", "GOROOT"]).stdout).unwrap();
    let xmod = Path::new(goroot.trim()).join("src/cmd/vendor/golang.org/x/mod");
    std::fs::create_dir_all(&work).unwrap();
    let copied = Command::new("cp")
        .arg("-r")
        .arg(&xmod)
        .arg(work.join("xmod"))
        .status()
        .unwrap();
    assert!(copied.success());
    Command::new("chmod")
        .args(["-R", "u+w"])
        .arg(work.join("xmod"))
        .status()
        .unwrap();
    std::fs::write(
        work.join("xmod/go.mod"),
        "module golang.org/x/mod\n\ngo 1.24\n",
    )
    .unwrap();
    std::fs::write(
        work.join("go.mod"),
        "module fakesumdb\n\ngo 1.24\n\nrequire golang.org/x/mod v0.0.0\n\nreplace golang.org/x/mod => ./xmod\n",
    )
    .unwrap();
    std::fs::write(work.join("main.go"), include_str!("fakesumdb/main.go")).unwrap();
    let bin = work.join("fakesumdb");
    let built = sb
        .command("go", &["build", "-o", "fakesumdb", "."], &work)
        .env("GOFLAGS", "-mod=mod")
        .env("GOPROXY", "off")
        .output()
        .unwrap();
    assert!(built.status.success(), "{built:?}");
    let ran = Command::new(&bin)
        .arg(&sb.proxy)
        .args(modules)
        .output()
        .unwrap();
    assert!(ran.status.success(), "{ran:?}");
    String::from_utf8(ran.stdout).unwrap().trim().to_string()
}

/// The world of the checksum-database tests: `example.com/a` (requiring `b`), `example.com/b`,
/// and `example.com/private/p` in the proxy, a test database (fakesumdb) vouching for a and b
/// under the proxy's `sumdb/` route, and a project requiring a and the private module, its
/// go.sum not written yet. Kept under target/tmp/`name` (a static is never dropped; the last
/// run's copy is cleared). Returns the sandbox and the database's verifier key.
pub fn sumdb_world(name: &str) -> (GoSandbox, String) {
    let parent = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = Command::new("chmod")
        .args(["-R", "u+w"])
        .arg(&parent)
        .status();
    let _ = std::fs::remove_dir_all(&parent);
    let sb = GoSandbox::new_in(
        &parent,
        &[
            module(
                "example.com/a",
                "v1.0.0",
                Some("1.21"),
                &[("example.com/b", "v1.0.0")],
                "import _ \"example.com/b\"",
            ),
            module(
                "example.com/b",
                "v1.0.0",
                Some("1.21"),
                &[],
                "func B() int { return 2 }",
            ),
            module(
                "example.com/private/p",
                "v1.0.0",
                Some("1.21"),
                &[],
                "func P() int { return 3 }",
            ),
        ],
    );
    let key = fake_sumdb(&sb, &["example.com/a@v1.0.0", "example.com/b@v1.0.0"]);
    sb.write_project(
        "module example.com/main\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/private/p v1.0.0\n)\n",
        &[(
            "main.go",
            "package main\n\nimport (\n\t_ \"example.com/a\"\n\t_ \"example.com/private/p\"\n)\n\nfunc main() {}\n",
        )],
    );
    (sb, key)
}
