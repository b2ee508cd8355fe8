//! The injected faults: how each is planted in a fork of the tidied sandbox, and what modscope
//! and go must say about it.

use super::*;

fn edit_go_sum(sb: &GoSandbox, f: impl Fn(&str) -> Option<String>) {
    let p = sb.project.join("go.sum");
    let text = std::fs::read_to_string(&p).unwrap();
    let out: Vec<String> = text.lines().filter_map(&f).collect();
    std::fs::write(&p, out.join("\n") + "\n").unwrap();
}

pub(super) fn faults() -> Vec<Fault> {
    vec![
        Fault {
            name: "extracted file edited",
            module: "example.com/a",
            inject: |sb| {
                force_write(
                    &files(sb, "example.com/a", "v1.0.0").dir.join("a.go"),
                    b"package a\n\nfunc A() string { return \"evil\" }\n",
                )
            },
            status: Status::Mismatch,
            kind: ProblemKind::ExtractedFilesModified,
            go_verify: Some("example.com/a v1.0.0: dir has been modified"),
            needs_network: false,
        },
        Fault {
            name: "zip rewritten",
            module: "example.com/pseudo",
            inject: |sb| {
                let f = files(
                    sb,
                    "example.com/pseudo",
                    "v0.0.0-20240110193028-4a1a5e8c0d3b",
                );
                let other = module(
                    "example.com/pseudo",
                    "v0.0.0-20240110193028-4a1a5e8c0d3b",
                    Some("1.20"),
                    &[],
                    "func P() int { return 666 }",
                );
                force_write(&f.zip, &other.zip_bytes());
            },
            status: Status::Mismatch,
            kind: ProblemKind::ZipModified,
            go_verify: Some("zip has been modified"),
            needs_network: false,
        },
        Fault {
            name: "zip truncated",
            module: "example.com/b",
            inject: |sb| {
                let f = files(sb, "example.com/b", "v1.0.0");
                let bytes = std::fs::read(&f.zip).unwrap();
                force_write(&f.zip, &bytes[..bytes.len() / 2]);
            },
            status: Status::Mismatch,
            kind: ProblemKind::CorruptZip,
            go_verify: Some("example.com/b v1.0.0: zip: not a valid zip file"),
            needs_network: false,
        },
        Fault {
            name: "go.sum line tampered",
            module: "example.com/Upper",
            inject: |sb| {
                edit_go_sum(sb, |l| {
                    Some(if l.starts_with("example.com/Upper v1.0.0-RC1 h1:") {
                        let (head, hash) = l.split_at(l.len() - 10);
                        format!(
                            "{head}{}",
                            if hash.starts_with('A') {
                                hash.replacen('A', "B", 1)
                            } else {
                                format!("A{}", &hash[1..])
                            }
                        )
                    } else {
                        l.to_string()
                    })
                })
            },
            status: Status::Mismatch,
            kind: ProblemKind::GoSumMismatch,
            go_verify: None,
            needs_network: false,
        },
        Fault {
            name: "go.sum line missing",
            module: "example.com/nomod",
            inject: |sb| {
                edit_go_sum(sb, |l| {
                    (!l.starts_with("example.com/nomod v2.0.0+incompatible h1:"))
                        .then(|| l.to_string())
                })
            },
            status: Status::Mismatch,
            kind: ProblemKind::GoSumLineMissing,
            go_verify: None,
            needs_network: false,
        },
        Fault {
            name: "cached .mod edited",
            module: "example.com/b",
            inject: |sb| {
                force_write(
                    &files(sb, "example.com/b", "v1.0.0").go_mod,
                    b"module example.com/b\n\ngo 1.17\n\n// edited\n",
                )
            },
            status: Status::Mismatch,
            kind: ProblemKind::GoModMismatch,
            go_verify: Some("verifying example.com/b@v1.0.0/go.mod: checksum mismatch"),
            needs_network: false,
        },
        Fault {
            name: "not in cache",
            module: "example.com/a",
            inject: |sb| {
                let f = files(sb, "example.com/a", "v1.0.0");
                remove(&f.dir);
                remove(&f.download_dir);
            },
            status: Status::Missing,
            kind: ProblemKind::NotInCache,
            go_verify: None,
            needs_network: true,
        },
        Fault {
            name: "mod only",
            module: "example.com/pseudo",
            inject: |sb| {
                let f = files(
                    sb,
                    "example.com/pseudo",
                    "v0.0.0-20240110193028-4a1a5e8c0d3b",
                );
                remove(&f.dir);
                remove(&f.zip);
                remove(&f.ziphash);
            },
            status: Status::Missing,
            kind: ProblemKind::ModOnly,
            go_verify: None,
            needs_network: true,
        },
        Fault {
            // With the zip still there it is only a warning (go re-extracts it offline): see
            // real_go_build_list.rs. Without it, go must download.
            name: "partial marker, zip gone",
            module: "example.com/nomod",
            inject: |sb| {
                let f = files(sb, "example.com/nomod", "v2.0.0+incompatible");
                force_write(&f.partial, b"");
                remove(&f.zip);
            },
            status: Status::Missing,
            kind: ProblemKind::PartialDownload,
            go_verify: None,
            needs_network: true,
        },
        Fault {
            name: "ziphash deleted",
            module: "example.com/Upper",
            inject: |sb| remove(&files(sb, "example.com/Upper", "v1.0.0-RC1").ziphash),
            status: Status::Missing,
            kind: ProblemKind::MissingZiphash,
            go_verify: Some("example.com/Upper v1.0.0-RC1: missing ziphash"),
            needs_network: false,
        },
        Fault {
            name: "zip and ziphash deleted, tree edited (go's blind spot)",
            module: "example.com/b",
            inject: |sb| {
                let f = files(sb, "example.com/b", "v1.0.0");
                remove(&f.zip);
                remove(&f.ziphash);
                force_write(
                    &f.dir.join("b.go"),
                    b"package b\n\nfunc B() string { return \"evil\" }\n",
                );
            },
            status: Status::Mismatch,
            kind: ProblemKind::ExtractedFilesModified,
            go_verify: None,
            needs_network: true,
        },
        Fault {
            name: "local replacement directory missing",
            module: "example.com/local",
            inject: |sb| remove(&sb.project.join("local")),
            status: Status::ReplacedLocal,
            kind: ProblemKind::ReplaceDirMissing,
            go_verify: None,
            needs_network: false,
        },
        Fault {
            name: "local replacement without go.mod",
            module: "example.com/local",
            inject: |sb| remove(&sb.project.join("local/go.mod")),
            status: Status::ReplacedLocal,
            kind: ProblemKind::ReplaceNoGoMod,
            go_verify: Some("reading local/go.mod"),
            needs_network: false,
        },
    ]
}
