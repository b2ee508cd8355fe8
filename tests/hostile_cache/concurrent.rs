//! A cache that changes under the scan: a concurrent `go mod download`.

use super::*;

/// What a concurrent `go mod download` leaves visible, step by step (go writes the `.mod`, then
/// the zip to `<v>.zip<random>.tmp` and `.ziphash` in place, renames the zip, creates
/// `.partial`, extracts, removes `.partial`): each state is reported as missing, with words
/// that say a download may be in progress, and never as a hash mismatch. The race that could
/// report a half-extracted tree as modified (`.partial` looked at before go creates it, the
/// directory after) is closed by looking in go's own order, directory first; its window is a
/// few microseconds, so the live part below cannot be relied on to hit it.
#[test]
fn a_module_being_downloaded_while_modscope_scans_it() {
    // 1. The in-between states, written by hand so that each is certainly seen.
    let base = sandbox();
    let sb = base.fork();
    let f = files(&sb, HOSTILE);
    let zip = std::fs::read(&f.zip).unwrap();
    remove(&f.dir);
    remove(&f.zip);
    let tmp_zip = f.download_dir.join("v1.0.0.zip123456.tmp");
    std::fs::write(&tmp_zip, &zip[..zip.len() / 2]).unwrap();
    support::force_write(&f.ziphash, b""); // go truncates, then writes it
    both_modes(&sb, &[], 1, |run| {
        let m = find(run.report(), HOSTILE);
        assert_eq!(m.status, Status::Missing, "{m:#?}");
        problem(
            m,
            "mod-only",
            &[
                "is still being written",
                "a go command is downloading it right now, or its download was interrupted",
            ],
        );
        problem(
            m,
            "stray-temp-files",
            &[&tmp_zip.display().to_string(), "still running"],
        );
        assert!(
            !m.problems
                .iter()
                .any(|p| p.kind.as_str() == "invalid-ziphash"),
            "{m:#?}"
        );
        assert_others_cached(run.report(), HOSTILE);
    });
    // Half extracted, with go's .partial marker, the zip in place: an extraction go finishes
    // by itself (a note, not modified files, not missing).
    std::fs::remove_file(&tmp_zip).unwrap();
    std::fs::write(&f.zip, &zip).unwrap();
    support::force_write(&f.ziphash, find_h1(&base).as_bytes());
    std::fs::create_dir_all(&f.dir).unwrap();
    std::fs::write(f.dir.join("go.mod"), "module example.com/delta\n").unwrap();
    std::fs::write(&f.partial, "").unwrap();
    both_modes(&sb, &[], 0, |run| {
        let m = find(run.report(), HOSTILE);
        assert_eq!(m.status, Status::Cached, "{m:#?}");
        problem(
            m,
            "re-extraction-pending",
            &[&f.partial.display().to_string(), "extracting it right now"],
        );
        assert_others_cached(run.report(), HOSTILE);
    });

    // 2. The real thing: a large module downloaded by go while checks run, three times over.
    let mut big = module(
        "example.com/big",
        "v1.0.0",
        Some("1.21"),
        &[],
        "func F() int { return 1 }",
    );
    for i in 0..6000 {
        big.files
            .push((format!("data/d{}/f{i:04}.txt", i % 50), noise(i, 1200)));
    }
    let sb = sandbox_with(vec![big]);
    let bf = ModuleCache::new(&sb.cache)
        .files("example.com/big", "v1.0.0")
        .unwrap();
    let allowed = [
        "not-in-cache",
        "mod-only",
        "zip-not-extracted",
        "partial-download",
        "re-extraction-pending",
        "stray-temp-files",
    ];
    let mut seen = std::collections::BTreeSet::new();
    for round in 0..3 {
        remove(&bf.dir);
        for e in std::fs::read_dir(&bf.download_dir).unwrap() {
            let p = e.unwrap().path();
            if p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("v1.0.0.")
            {
                remove(&p);
            }
        }
        let mut go = sb
            .command(
                "go",
                &["mod", "download", "example.com/big@v1.0.0"],
                &sb.project,
            )
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut runs = 0;
        loop {
            let done = go.try_wait().unwrap().is_some();
            let run = check_with(&sb, &[], &[], &memo_dir(&sb));
            runs += 1;
            assert!(
                run.code == 0 || run.code == 1,
                "exit {}: {}",
                run.code,
                run.stderr
            );
            run.assert_exit(run.code);
            let r = run.report();
            for p in MODULES {
                let m = find(r, p);
                assert_eq!((m.status, m.problems.len()), (Status::Cached, 0), "{m:#?}");
            }
            let m = find(r, "example.com/big");
            assert!(
                matches!(m.status, Status::Missing | Status::Cached),
                "round {round}: {m:#?}"
            );
            for p in &m.problems {
                assert!(allowed.contains(&p.kind.as_str()), "round {round}: {m:#?}");
            }
            let kinds: Vec<&str> = m.problems.iter().map(|p| p.kind.as_str()).collect();
            seen.insert(format!("{:?} {}", m.status, kinds.join("+")));
            if done {
                assert_eq!(m.status, Status::Cached, "after go finished: {m:#?}");
                break;
            }
        }
        assert!(go.wait().unwrap().success());
        eprintln!("round {round}: {runs} checks during the download");
    }
    eprintln!("states seen while go downloaded: {seen:?}");
}

fn find_h1(sb: &GoSandbox) -> String {
    let sum = std::fs::read_to_string(sb.project.join("go.sum")).unwrap();
    sum.lines()
        .find(|l| l.starts_with(&format!("{HOSTILE} v1.0.0 h1:")))
        .unwrap()
        .rsplit(' ')
        .next()
        .unwrap()
        .to_string()
}
