//! `modscope sumdb` against checksum databases whose answers the real `go` cached: a test
//! database (an Ed25519 key, records, tiles and a signed tree head, written by x/mod's own code
//! in tests/support/fakesumdb) served through the `file://` proxy's `sumdb/` route, and a small
//! fixture of real answers and tiles from sum.golang.org checked with its real key.

mod support;

use gomodcache::sumdb::note::VerifierKey;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;
use support::{GoSandbox, force_write, module, remove, sumdb_world};

const DB: &str = "sum.example.test";

struct Base {
    sb: GoSandbox,
    key: String,
}

fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| {
        let (sb, key) = sumdb_world("sumdb");
        // go fetches every go.sum line it adds from the database (through the proxy's sumdb/
        // route), except the private module's.
        let tidy = sb
            .command("go", &["mod", "tidy"], &sb.project)
            .envs(env(&key))
            .output()
            .unwrap();
        assert!(
            tidy.status.success(),
            "{}",
            String::from_utf8_lossy(&tidy.stderr)
        );
        Base { sb, key }
    })
}

fn env(key: &str) -> Vec<(&'static str, String)> {
    vec![
        ("GOSUMDB", key.to_string()),
        ("GONOSUMDB", "example.com/private".into()),
    ]
}

fn sumdb(sb: &GoSandbox, key: &str) -> (i32, Value) {
    let out = sb
        .command(
            env!("CARGO_BIN_EXE_modscope"),
            &["sumdb", "--json"],
            &sb.project,
        )
        .envs(env(key))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), v)
}

/// The verdict of the line for `path` (`go_mod`: its `/go.mod` line).
fn line<'a>(r: &'a Value, path: &str, go_mod: bool) -> &'a Value {
    r["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["path"] == path && l["go_mod"] == go_mod)
        .unwrap_or_else(|| panic!("no line for {path}: {r:#}"))
}

fn db_dir(sb: &GoSandbox) -> PathBuf {
    sb.cache.join("cache/download/sumdb").join(DB)
}

fn lookup_file(sb: &GoSandbox, path: &str) -> PathBuf {
    db_dir(sb).join("lookup").join(format!("{path}@v1.0.0"))
}

/// `modscope check --json`'s row for `path`: its checksum-database verdicts ride along.
fn check_row(sb: &GoSandbox, key: &str, path: &str) -> Value {
    let out = sb
        .command(
            env!("CARGO_BIN_EXE_modscope"),
            &["check", "--json"],
            &sb.project,
        )
        .envs(env(key))
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    r["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["path"] == path)
        .unwrap()
        .clone()
}

/// The oracle: go refuses the cached module too (`SECURITY ERROR … checksum mismatch`).
fn assert_go_build_refuses_the_module(sb: &GoSandbox) {
    let go = sb
        .command("go", &["build", "./..."], &sb.project)
        .env("GOPROXY", "off")
        .output()
        .unwrap();
    assert!(
        !go.status.success() && stderr(&go).contains("checksum mismatch"),
        "{}",
        stderr(&go)
    );
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn every_line_go_fetched_from_the_database_is_vouched_and_the_private_one_unchecked() {
    let b = base();
    let (code, r) = sumdb(&b.sb, &b.key);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["database"], DB);
    for path in ["example.com/a", "example.com/b"] {
        for go_mod in [false, true] {
            assert_eq!(
                line(&r, path, go_mod)["verdict"],
                "vouched",
                "{path} {go_mod}: {r:#}"
            );
        }
    }
    let p = line(&r, "example.com/private/p", false);
    assert_eq!(p["verdict"], "unchecked");
    assert!(
        p["reason"]
            .as_str()
            .unwrap()
            .contains("GONOSUMDB matches it (example.com/private)"),
        "{p}"
    );
    assert_eq!(r["counts"]["vouched"], 4);
}

#[test]
fn an_edited_go_sum_line_is_a_conflict_naming_go_sum_and_its_fix_restores_it() {
    let b = base();
    let sb = b.sb.fork();
    let go_sum = sb.project.join("go.sum");
    let good = std::fs::read_to_string(&go_sum).unwrap();
    let l = line(&sumdb(&sb, &b.key).1, "example.com/b", false).clone();
    let edited = good.replacen(
        l["hash"].as_str().unwrap(),
        "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        1,
    );
    std::fs::write(&go_sum, &edited).unwrap();
    let (code, r) = sumdb(&sb, &b.key);
    assert_eq!(code, 1);
    let c = line(&r, "example.com/b", false);
    assert_eq!(
        (c["verdict"].as_str(), c["wrong"].as_str()),
        (Some("conflict"), Some("go-sum")),
        "{c}"
    );
    assert_go_build_refuses_the_module(&sb);
    let fix = c["fix"].as_str().unwrap();
    let ran = sb
        .command("sh", &["-c", fix], &sb.project)
        .output()
        .unwrap();
    assert!(ran.status.success(), "{fix}: {}", stderr(&ran));
    assert_eq!(std::fs::read_to_string(&go_sum).unwrap(), good);
    assert_eq!(sumdb(&sb, &b.key).0, 0);
}

#[test]
fn a_cache_rewritten_consistently_with_itself_is_a_conflict_naming_the_cache() {
    let b = base();
    let sb = b.sb.fork();
    // Another module's content under b's name: zip, .ziphash and tree all agree with each
    // other, not with go.sum or the database.
    let other = module(
        "example.com/b",
        "v1.0.0",
        Some("1.21"),
        &[],
        "func B() int { return 666 }",
    );
    let files = gomodcache::cache::layout::ModuleCache::new(&sb.cache)
        .files("example.com/b", "v1.0.0")
        .unwrap();
    force_write(&files.zip, &other.zip_bytes());
    force_write(&files.ziphash, other.zip_h1().as_bytes());
    remove(&files.dir);
    let (code, r) = sumdb(&sb, &b.key);
    assert_eq!(code, 1);
    let c = line(&r, "example.com/b", false);
    assert_eq!(
        (c["verdict"].as_str(), c["wrong"].as_str()),
        (Some("conflict"), Some("cache")),
        "{c}"
    );
    assert_eq!(c["cache_hash"], other.zip_h1());
    assert_eq!(c["fix"], "modscope repair --yes example.com/b@v1.0.0");
    let row = check_row(&sb, &b.key, "example.com/b");
    assert_eq!(row["status"], "mismatch");
    assert_eq!(row["provenance"][0]["wrong"], "cache", "{row:#}");
    assert_go_build_refuses_the_module(&sb);
}

#[test]
fn a_line_without_a_cached_answer_is_unchecked_and_says_why() {
    let b = base();
    let sb = b.sb.fork();
    remove(&lookup_file(&sb, "example.com/a"));
    let (code, r) = sumdb(&sb, &b.key);
    assert_eq!(code, 0);
    let l = line(&r, "example.com/a", true);
    assert_eq!(l["verdict"], "unchecked");
    assert!(
        l["reason"]
            .as_str()
            .unwrap()
            .contains("go never looked this version up"),
        "{l}"
    );
}

/// A change made to a copy of the sandbox.
type Tamper = fn(&GoSandbox);

/// Tampered answers: a record changed, a signature forged, a tile changed. Each is a security
/// finding (unverifiable, exit 1), never a silent pass.
#[test]
fn tampered_records_signatures_and_tiles_are_unverifiable() {
    let b = base();
    let cases: [(&str, Tamper); 3] = [
        ("record", |sb| {
            let f = lookup_file(sb, "example.com/a");
            let text = std::fs::read_to_string(&f).unwrap();
            // The record's zip hash, as if the database had served another.
            let h1 = text
                .lines()
                .nth(1)
                .unwrap()
                .rsplit(' ')
                .next()
                .unwrap()
                .to_string();
            force_write(
                &f,
                text.replacen(&h1, "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 1)
                    .as_bytes(),
            );
        }),
        ("signature", |sb| {
            let f = lookup_file(sb, "example.com/a");
            let mut bytes = std::fs::read(&f).unwrap();
            let at = bytes.len() - 10;
            bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
            force_write(&f, &bytes);
        }),
        ("tile", |sb| {
            // Leaf 1 (b's record) is the sibling in a's proof.
            let tile = db_dir(sb).join("tile/8/0/000.p/2");
            let mut bytes = std::fs::read(&tile).unwrap();
            bytes[40] ^= 1;
            force_write(&tile, &bytes);
        }),
    ];
    for (case, tamper) in cases {
        let sb = b.sb.fork();
        tamper(&sb);
        let (code, r) = sumdb(&sb, &b.key);
        assert_eq!(code, 1, "{case}: {r:#}");
        let a = line(&r, "example.com/a", false);
        assert_eq!(a["verdict"], "unverifiable", "{case}: {a}");
    }
}

/// A second tree head signed by the database's key, of the same size with another root: the
/// database showed two logs. Signed here with the test database's key (fakesumdb's fixed seed).
#[test]
fn a_forked_tree_head_is_a_finding() {
    use base64::Engine as _;
    use ed25519_dalek::Signer as _;
    let b = base();
    let sb = b.sb.fork();
    let vkey = VerifierKey::parse(&b.key).unwrap();
    let signer = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let text = format!(
        "go.sum database tree\n2\n{}\n",
        base64::engine::general_purpose::STANDARD.encode([9u8; 32])
    );
    let mut sig = vkey.hash.to_be_bytes().to_vec();
    sig.extend_from_slice(&signer.sign(text.as_bytes()).to_bytes());
    let note = format!(
        "{text}\n— {DB} {}\n",
        base64::engine::general_purpose::STANDARD.encode(sig)
    );
    let latest = sb
        .tmp
        .path()
        .join("gopath/pkg/sumdb")
        .join(DB)
        .join("latest");
    std::fs::create_dir_all(latest.parent().unwrap()).unwrap();
    std::fs::write(&latest, note).unwrap();
    let (code, r) = sumdb(&sb, &b.key);
    assert_eq!(code, 1, "{r:#}");
    let findings = r["findings"].to_string();
    assert!(findings.contains("fork"), "{findings}");
}

/// Real answers and tiles of sum.golang.org (public data, copied from a cache go filled for
/// mikefarah/yq v4.6.0), checked with go's built-in key: all vouched, the tree heads one log.
#[test]
fn real_sum_golang_org_answers_are_vouched_with_the_real_key() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sumdb-real");
    let files = |d: &Path| walkdir::WalkDir::new(d).into_iter().count();
    let before = files(&fixture);
    // modscope's own directories (the project registry, its cache) in a temporary home: the
    // fixture in the source tree must stay as it is.
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_modscope"))
        .args(["sumdb", "--json", "--modcache"])
        .arg(fixture.join("modcache"))
        .current_dir(fixture.join("project"))
        .env_clear()
        .env("GOPATH", fixture.join("gopath"))
        .env("GOENV", "off")
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert_eq!(files(&fixture), before, "the fixture was written to");
    let r: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    assert_eq!(out.status.code(), Some(0), "{r:#}");
    assert_eq!(r["database"], "sum.golang.org");
    assert_eq!(r["counts"]["vouched"], 8, "{r:#}");
    assert_eq!(r["tree_heads"].as_array().unwrap().len(), 3);
    assert!(
        r["consistency"]
            .as_str()
            .unwrap()
            .contains("2 of 2 consecutive pairs proven consistent"),
        "{}",
        r["consistency"]
    );
}
