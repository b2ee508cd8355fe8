//! The environment doctor against `go env -json` under a controlled environment.

use super::sandbox::sandbox;
use gomodcache::goenv::doctor::env_report;
use gomodcache::goenv::env::GoEnv;
use std::path::Path;

fn go_env_json(vars: &[(String, String)], dir: &Path, keys: &[&str]) -> serde_json::Value {
    let out = std::process::Command::new("go")
        .arg("env")
        .arg("-json")
        .args(keys)
        .current_dir(dir)
        .env_clear()
        .envs(vars.iter().cloned())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_env_doctor_reads_the_values_go_env_reports() {
    let sb = sandbox();
    let t = sb.tmp.path();
    let env_file = t.join("doctor.env");
    std::fs::write(&env_file, "GOPRIVATE=*.corp.example,example.com/a\nGOPROXY=https://proxy.corp.example|https://proxy.golang.org,direct\nGOFLAGS=-mod=mod\nGOINSECURE=example.com/b\n").unwrap();
    let ws = t.join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::write(
        ws.join("go.work"),
        format!("go 1.21\n\nuse {}\n", sb.project.display()),
    )
    .unwrap();
    let base: Vec<(String, String)> = sb
        .go_env()
        .into_iter()
        .filter(|(k, _)| {
            ![
                "GOPROXY",
                "GOSUMDB",
                "GOFLAGS",
                "GOENV",
                "GOTOOLCHAIN",
                "GOWORK",
            ]
            .contains(&k.as_str())
        })
        .collect();
    let keys = [
        "GOPROXY",
        "GOSUMDB",
        "GOPRIVATE",
        "GONOPROXY",
        "GONOSUMDB",
        "GOINSECURE",
        "GOFLAGS",
        "GOTOOLCHAIN",
        "GOMODCACHE",
        "GOWORK",
    ];
    type Case<'a> = (&'a str, Vec<(&'a str, String)>, &'a Path);
    let cases: Vec<Case> = vec![
        (
            "env file, GONOSUMDB empty falls back to GOPRIVATE",
            vec![
                ("GOENV", env_file.display().to_string()),
                ("GONOSUMDB", String::new()),
                ("GONOPROXY", "none".into()),
            ],
            &sb.project,
        ),
        (
            "environment wins, go.env defaults",
            vec![
                ("GOENV", "off".into()),
                ("GOSUMDB", "off".into()),
                ("GOPROXY", "file:///x,off".into()),
            ],
            &sb.project,
        ),
        (
            "a go.work found upwards",
            vec![("GOENV", "off".into())],
            &ws,
        ),
    ];
    for (name, extra, dir) in cases {
        let mut vars = base.clone();
        vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
        let go = go_env_json(&vars, dir, &keys);
        let env = GoEnv::from_vars(vars.clone());
        let project = gomodcache::project::load_project(dir, env.get("GOWORK")).ok();
        let r = env_report(
            &env,
            project.as_ref(),
            &["example.com/a".into(), "example.com/b".into()],
        );
        let private = |k: &str| {
            r.private
                .iter()
                .find(|p| p.name == k)
                .unwrap()
                .setting
                .value
                .clone()
        };
        let ours = [
            ("GOPROXY", r.goproxy.value.clone()),
            ("GOSUMDB", r.gosumdb.value.clone()),
            ("GOPRIVATE", private("GOPRIVATE")),
            ("GONOPROXY", private("GONOPROXY")),
            ("GONOSUMDB", private("GONOSUMDB")),
            ("GOINSECURE", private("GOINSECURE")),
            ("GOFLAGS", r.goflags.value.clone()),
            ("GOTOOLCHAIN", r.gotoolchain.value.clone()),
            ("GOMODCACHE", r.gomodcache.value.clone()),
            ("GOWORK", r.gowork_file.clone().unwrap_or_default()),
        ];
        for (k, v) in ours {
            assert_eq!(go[k].as_str().unwrap_or(""), v, "{name}: {k}");
        }
    }
}
