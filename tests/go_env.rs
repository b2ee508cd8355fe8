//! GOMODCACHE resolution agrees with `go env GOMODCACHE` (the real go as oracle) in every case
//! the spec lists: environment, empty-means-unset, env file (GOENV and XDG_CONFIG_HOME),
//! GOPATH lists and the $HOME default.

use gomodcache::goenv::env::GoEnv;
use std::process::Command;

fn go_says(vars: &[(String, String)], dir: &std::path::Path) -> String {
    let out = Command::new("go")
        .args(["env", "GOMODCACHE"])
        .current_dir(dir)
        .env_clear()
        .envs(vars.iter().cloned())
        .output()
        .expect("the real `go` must be installed for integration tests");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .trim_end()
        .to_string()
}

#[test]
fn gomodcache_resolution_matches_go_env() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let home = t.join("home");
    std::fs::create_dir_all(home.join(".config/go")).unwrap();
    std::fs::create_dir_all(t.join("xdg/go")).unwrap();
    std::fs::write(
        t.join("xdg/go/env"),
        format!("GOPATH={}/xdg-gopath\n", t.display()),
    )
    .unwrap();
    std::fs::write(
        t.join("custom.env"),
        format!("GOMODCACHE={}/from-env-file\n", t.display()),
    )
    .unwrap();
    std::fs::write(
        home.join(".config/go/env"),
        format!(
            "# written by go env -w\nGOPATH={}/home-file-gopath\n",
            t.display()
        ),
    )
    .unwrap();
    let p = |s: &str| format!("{}/{s}", t.display());
    let path = std::env::var("PATH").unwrap_or_default();
    let cases: Vec<(&str, Vec<(&str, String)>)> = vec![
        (
            "explicit GOMODCACHE",
            vec![("GOMODCACHE", p("explicit")), ("HOME", p("home"))],
        ),
        (
            "HOME default, env file under ~/.config",
            vec![("HOME", p("home"))],
        ),
        (
            "HOME default with GOENV=off",
            vec![("HOME", p("home")), ("GOENV", "off".into())],
        ),
        (
            "GOPATH list: first entry only",
            vec![
                ("HOME", p("home")),
                ("GOPATH", format!("{}:{}", p("p1"), p("p2"))),
            ],
        ),
        (
            "empty GOMODCACHE falls through to GOENV file",
            vec![
                ("HOME", p("home")),
                ("GOMODCACHE", String::new()),
                ("GOENV", p("custom.env")),
            ],
        ),
        (
            "XDG_CONFIG_HOME env file",
            vec![("HOME", p("home")), ("XDG_CONFIG_HOME", p("xdg"))],
        ),
        (
            "empty GOPATH counts as unset",
            vec![
                ("HOME", p("home")),
                ("GOPATH", String::new()),
                ("GOENV", "off".into()),
            ],
        ),
    ];
    for (name, vars) in cases {
        let mut all: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        all.push(("PATH".into(), path.clone()));
        all.push(("GOTOOLCHAIN".into(), "local".into()));
        let ours = GoEnv::from_vars(all.clone()).gomodcache().unwrap().0;
        assert_eq!(ours.display().to_string(), go_says(&all, t), "{name}");
    }
}

#[test]
fn reading_the_installation_gives_what_go_env_says() {
    use gomodcache::toolchain::GoInstall;
    let vars: Vec<(String, String)> = std::env::vars().collect();
    let ran = GoInstall::probe(&vars);
    let read = GoInstall::from_installation(&vars);
    assert!(ran.goversion.is_some(), "{:?}", ran.error);
    assert_eq!(read.goversion, ran.goversion);
    assert_eq!(read.goroot, ran.goroot);
    assert_eq!((read.goos, read.goarch), (ran.goos, ran.goarch));
}
