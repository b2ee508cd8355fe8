//! The faults whose fixes are run: how each is planted in the project and the cache, and what
//! it is seen as.

use super::*;

fn go_sum(sb: &GoSandbox) -> String {
    std::fs::read_to_string(sb.project.join("go.sum")).unwrap()
}

/// Rewrites the hash of the go.sum line whose key is `key` (`path version[/go.mod]`).
fn edit_go_sum_line(sb: &GoSandbox, key: &str) {
    let text = go_sum(sb);
    let prefix = format!("{key} h1:");
    assert!(text.contains(&prefix), "{key} not in go.sum:\n{text}");
    let edited: String = text
        .lines()
        .map(|l| match l.strip_prefix(&prefix) {
            Some(_) => format!("{prefix}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"),
            None => format!("{l}\n"),
        })
        .collect();
    std::fs::write(sb.project.join("go.sum"), edited).unwrap();
}

fn drop_go_sum_line(sb: &GoSandbox, key: &str) {
    let text = go_sum(sb);
    let prefix = format!("{key} h1:");
    assert!(text.contains(&prefix), "{key} not in go.sum:\n{text}");
    let kept: String = text
        .lines()
        .filter(|l| !l.starts_with(&prefix))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(sb.project.join("go.sum"), kept).unwrap();
}

fn download_dir(sb: &GoSandbox, path: &str) -> std::path::PathBuf {
    sb.cache.join(format!("cache/download/{path}/@v"))
}

pub(super) fn faults() -> Vec<Fault> {
    vec![
        Fault {
            name: "go.sum /go.mod line edited, cache intact",
            go: "1.21",
            plant: |sb| edit_go_sum_line(sb, "example.com/top v1.0.0/go.mod"),
            kind: "go-mod-mismatch",
            from: FixFrom::Check("example.com/top"),
        },
        Fault {
            name: "go.sum h1 line edited, cache intact",
            go: "1.21",
            plant: |sb| edit_go_sum_line(sb, "example.com/top v1.0.0"),
            kind: "go-sum-mismatch",
            from: FixFrom::Check("example.com/top"),
        },
        Fault {
            name: "go.sum h1 line of a transitive module missing, go 1.16 project",
            go: "1.16",
            plant: |sb| drop_go_sum_line(sb, "example.com/deep v1.0.0"),
            kind: "go-sum-line-missing",
            from: FixFrom::Check("example.com/deep"),
        },
        Fault {
            name: "go.sum h1 line of a transitive module missing, go 1.16 project, as offline sees it",
            go: "1.16",
            plant: |sb| drop_go_sum_line(sb, "example.com/deep v1.0.0"),
            kind: "missing-go-sum-zip",
            from: FixFrom::Offline("example.com/deep@v1.0.0"),
        },
        Fault {
            name: "go.sum h1 line of a required module missing",
            go: "1.21",
            plant: |sb| drop_go_sum_line(sb, "example.com/top v1.0.0"),
            kind: "go-sum-line-missing",
            from: FixFrom::Check("example.com/top"),
        },
        Fault {
            name: "go.sum h1 line of a required module missing, go 1.16 project",
            go: "1.16",
            plant: |sb| drop_go_sum_line(sb, "example.com/top v1.0.0"),
            kind: "go-sum-line-missing",
            from: FixFrom::Check("example.com/top"),
        },
        Fault {
            name: "go.sum /go.mod line missing",
            go: "1.21",
            plant: |sb| drop_go_sum_line(sb, "example.com/top v1.0.0/go.mod"),
            kind: "go-sum-go-mod-line-missing",
            from: FixFrom::Check("example.com/top"),
        },
        Fault {
            name: "module not in the cache",
            go: "1.21",
            plant: |sb| {
                support::delete_from_cache(sb, "example.com/deep", "v1.0.0");
            },
            kind: "not-in-cache",
            from: FixFrom::Check("example.com/deep"),
        },
        Fault {
            name: "replacement directory without go.mod",
            go: "1.21",
            plant: |sb| std::fs::remove_file(sb.project.join("loc/go.mod")).unwrap(),
            kind: "replace-no-go-mod",
            from: FixFrom::Check("example.com/loc"),
        },
        Fault {
            name: "replacement directory without go.mod, go 1.16 project",
            go: "1.16",
            plant: |sb| std::fs::remove_file(sb.project.join("loc/go.mod")).unwrap(),
            kind: "replace-no-go-mod",
            from: FixFrom::Check("example.com/loc"),
        },
        Fault {
            name: "replacement directory missing",
            go: "1.21",
            plant: |sb| std::fs::remove_dir_all(sb.project.join("loc")).unwrap(),
            kind: "replace-dir-missing",
            from: FixFrom::Check("example.com/loc"),
        },
        Fault {
            name: "extracted file edited",
            go: "1.21",
            plant: |sb| {
                force_write(
                    &sb.cache.join("example.com/deep@v1.0.0/deep.go"),
                    b"package deep\n\nfunc D() int { return 666 }\n",
                )
            },
            kind: "extracted-files-modified",
            from: FixFrom::Check("example.com/deep"),
        },
        Fault {
            name: "cached .mod edited",
            go: "1.21",
            plant: |sb| {
                force_write(
                    &download_dir(sb, "example.com/top").join("v1.0.0.mod"),
                    b"module example.com/top\n\ngo 1.21\n// edited\n",
                )
            },
            kind: "go-mod-mismatch",
            from: FixFrom::Check("example.com/top"),
        },
        Fault {
            name: "go.sum /go.mod line of a lower version the graph reads edited, as check sees it",
            go: "1.16",
            plant: |sb| edit_go_sum_line(sb, "example.com/shared v1.0.0/go.mod"),
            kind: "go-mod-mismatch",
            from: FixFrom::Check("example.com/shared"),
        },
        Fault {
            name: "go.sum /go.mod line of a lower version the graph reads missing",
            go: "1.16",
            plant: |sb| drop_go_sum_line(sb, "example.com/shared v1.0.0/go.mod"),
            kind: "go-sum-go-mod-line-missing",
            from: FixFrom::Check("example.com/shared"),
        },
        Fault {
            name: "go.sum /go.mod line of a lower version the graph reads edited",
            go: "1.16",
            plant: |sb| edit_go_sum_line(sb, "example.com/shared v1.0.0/go.mod"),
            kind: "checksum-mismatch",
            from: FixFrom::Offline("example.com/shared@v1.0.0"),
        },
        Fault {
            name: "zip and tree of a required module gone, .mod kept",
            go: "1.21",
            plant: |sb| {
                remove(&sb.cache.join("example.com/top@v1.0.0"));
                let dl = download_dir(sb, "example.com/top");
                remove(&dl.join("v1.0.0.zip"));
                remove(&dl.join("v1.0.0.ziphash"));
            },
            kind: "mod-only",
            from: FixFrom::Check("example.com/top"),
        },
    ]
}
