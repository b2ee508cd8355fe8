//! The demo's modules: realistic paths and versions, small synthetic content (a LICENSE, a
//! README.md and two Go files each), and the fault each one carries.

use crate::synth::{SynthModule, go_mod_text, go_quote};

/// A fault to inject into one module, and the status it should produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fault {
    Healthy,
    NotInCache,
    ModOnly,
    Partial,
    DirEdited,
    ZipRewritten,
    GoSumTampered,
    GoSumLineMissing,
    ModEdited,
    DirEditedNoZip,
}

impl Fault {
    pub(super) fn id(self) -> &'static str {
        match self {
            Fault::Healthy => "",
            Fault::NotInCache => "not-in-cache",
            Fault::ModOnly => "mod-only",
            Fault::Partial => "partial",
            Fault::DirEdited => "dir-edited",
            Fault::ZipRewritten => "zip-rewritten",
            Fault::GoSumTampered => "go-sum-tampered",
            Fault::GoSumLineMissing => "go-sum-line-missing",
            Fault::ModEdited => "mod-edited",
            Fault::DirEditedNoZip => "dir-edited-no-zip",
        }
    }

    pub(super) fn status(self) -> &'static str {
        match self {
            Fault::NotInCache | Fault::ModOnly => "missing",
            // The zip is cached: go extracts it again by itself (a warning, not a failure).
            Fault::Healthy | Fault::Partial => "cached",
            _ => "mismatch",
        }
    }
}

/// One module of the catalogue. `go: None` means no go.mod in the zip (`+incompatible`).
pub(super) struct Spec {
    pub path: &'static str,
    pub version: &'static str,
    pub go: Option<&'static str>,
    pub deps: &'static [&'static str],
    pub license: &'static str,
    pub blurb: &'static str,
    pub indirect: bool,
    /// Not in the project's go.mod: in the build list only through other modules' go.mod
    /// files (as most of a real project's build list is).
    pub graph_only: bool,
    pub fault: Fault,
}

impl Spec {
    const fn new(
        path: &'static str,
        version: &'static str,
        go: Option<&'static str>,
        deps: &'static [&'static str],
        license: &'static str,
        blurb: &'static str,
    ) -> Spec {
        Spec {
            path,
            version,
            go,
            deps,
            license,
            blurb,
            indirect: false,
            graph_only: false,
            fault: Fault::Healthy,
        }
    }

    /// Required only by other modules' go.mod files.
    const fn graph_only(mut self) -> Spec {
        self.graph_only = true;
        self
    }

    /// Listed in the go.mod `// indirect` block.
    const fn indirect(mut self) -> Spec {
        self.indirect = true;
        self
    }

    const fn fault(mut self, fault: Fault) -> Spec {
        self.fault = fault;
        self
    }
}

pub(super) const ERRORS_PATH: &str = "github.com/pkg/errors";
pub(super) const ERRORS_REQUIRED: &str = "v0.8.1";
pub(super) const ERRORS_REPLACEMENT: &str = "v0.9.1";

const SYS: &str = "golang.org/x/sys";
const ANSITERM: &str = "github.com/Azure/go-ansiterm";
const ISATTY: &str = "github.com/mattn/go-isatty";
const COLORABLE: &str = "github.com/mattn/go-colorable";
const PFLAG: &str = "github.com/spf13/pflag";
const MULTIERR: &str = "go.uber.org/multierr";
const YAML: &str = "gopkg.in/yaml.v3";
const MOUSETRAP: &str = "github.com/inconshreveable/mousetrap";
const MD2MAN: &str = "github.com/cpuguy83/go-md2man/v2";
const BLACKFRIDAY: &str = "github.com/russross/blackfriday/v2";

/// Every module the demo project requires from a registry, dependencies before dependents.
/// `github.com/pkg/errors` is listed at its replacement version; the required v0.8.1 is only in
/// the proxy.
#[rustfmt::skip]
pub(super) const CATALOGUE: &[Spec] = &[
    Spec::new(SYS, "v0.15.0", Some("1.18"), &[], "BSD-3-Clause",
        "Go packages for low-level interaction with the operating system.").indirect(),
    Spec::new(ANSITERM, "v0.0.0-20230124172434-306776ec8161", Some("1.16"), &[], "MIT",
        "Go package for ANSI terminal emulation in Windows.").indirect(),
    Spec::new(ISATTY, "v0.0.20", Some("1.15"), &[SYS], "MIT",
        "isatty for golang.").indirect().fault(Fault::ModOnly),
    Spec::new(COLORABLE, "v0.1.13", Some("1.15"), &[ISATTY], "MIT",
        "Colorable writer for windows.").indirect(),
    Spec::new(PFLAG, "v1.0.5", Some("1.12"), &[], "BSD-3-Clause",
        "Drop-in replacement for Go's flag package, implementing POSIX/GNU-style --flags.").indirect(),
    Spec::new(MULTIERR, "v1.11.0", Some("1.19"), &[], "MIT",
        "Combine one or more Go errors together.").indirect().fault(Fault::DirEditedNoZip),
    Spec::new("github.com/BurntSushi/toml", "v1.3.2", Some("1.16"), &[], "MIT",
        "TOML parser for Golang with reflection."),
    Spec::new("github.com/Masterminds/semver/v3", "v3.2.1", Some("1.18"), &[], "MIT",
        "Work with Semantic Versions in Go.").fault(Fault::ZipRewritten),
    Spec::new("github.com/docker/docker", "v24.0.9+incompatible", None, &[], "Apache-2.0",
        "Moby Project - a collaborative project for the container ecosystem."),
    Spec::new("github.com/fatih/color", "v1.16.0", Some("1.17"), &[COLORABLE, ISATTY], "MIT",
        "Color package for Go.").fault(Fault::ModEdited),
    Spec::new("github.com/google/uuid", "v1.6.0", Some("1.13"), &[], "BSD-3-Clause",
        "Go package for UUIDs based on RFC 4122 and DCE 1.1.").fault(Fault::DirEdited),
    Spec::new("github.com/moby/term", "v0.5.0", Some("1.18"), &[ANSITERM, SYS], "Apache-2.0",
        "Terminal utilities."),
    Spec::new(ERRORS_PATH, ERRORS_REPLACEMENT, Some("1.13"), &[], "BSD-2-Clause",
        "Simple error handling primitives."),
    Spec::new("github.com/sirupsen/logrus", "v1.9.3", Some("1.13"), &[SYS], "MIT",
        "Structured, pluggable logging for Go.").fault(Fault::NotInCache),
    Spec::new(YAML, "v3.0.1", Some("1.11"), &[], "MIT",
        "YAML support for the Go language.").fault(Fault::GoSumTampered),
    // cobra's go.mod (go 1.15: an unpruned graph below it) brings these in; no package of the
    // build comes from them. A real cache holds the zip of some (downloaded by an older
    // `go mod download`) and only the go.mod of others.
    Spec::new(MOUSETRAP, "v1.1.0", Some("1.18"), &[], "Apache-2.0",
        "Detect starting from Windows explorer.").graph_only(),
    Spec::new(BLACKFRIDAY, "v2.1.0", Some("1.13"), &[], "BSD-2-Clause",
        "Blackfriday: a markdown processor for Go.").graph_only().fault(Fault::ModOnly),
    Spec::new(MD2MAN, "v2.0.3", Some("1.11"), &[BLACKFRIDAY], "MIT",
        "Converts markdown into roff (man pages).").graph_only().fault(Fault::ModOnly),
    Spec::new("github.com/spf13/cobra", "v1.8.0", Some("1.15"), &[MD2MAN, MOUSETRAP, PFLAG, YAML], "Apache-2.0",
        "A Commander for modern Go CLI interactions."),
    Spec::new("golang.org/x/text", "v0.0.0-20240110193028-4a1a5e8c0d3b", Some("1.18"), &[], "BSD-3-Clause",
        "Go text processing support.").fault(Fault::Partial),
    Spec::new("go.uber.org/zap", "v1.26.0", Some("1.19"), &[MULTIERR], "MIT",
        "Blazing fast, structured, leveled logging in Go.").fault(Fault::GoSumLineMissing),
];

fn license_text(kind: &str, holder: &str) -> String {
    let body = match kind {
        "MIT" => {
            "Permission is hereby granted, free of charge, to any person obtaining a copy of this software\nand associated documentation files, to deal in the Software without restriction.\n"
        }
        "Apache-2.0" => {
            "Licensed under the Apache License, Version 2.0 (the \"License\");\nyou may not use this file except in compliance with the License.\n"
        }
        _ => {
            "Redistribution and use in source and binary forms, with or without modification, are\npermitted provided that the conditions in the full license text are met.\n"
        }
    };
    format!("{kind} License\n\nCopyright (c) The {holder} Authors. All rights reserved.\n\n{body}")
}

/// Builds the module of `spec`; `built` holds the modules built so far (its deps among them).
pub(super) fn build(spec: &Spec, built: &[SynthModule]) -> SynthModule {
    let deps: Vec<&SynthModule> = spec
        .deps
        .iter()
        .map(|p| {
            built
                .iter()
                .find(|m| m.path == *p)
                .expect("catalogue lists deps first")
        })
        .collect();
    // The package imports its dependencies, except the graph-only ones: a go.mod requirement
    // no package of the build uses (cobra's man-page generator, say) is what makes a module
    // graph-only in a real project.
    let imported: Vec<&SynthModule> = deps
        .iter()
        .copied()
        .filter(|d| !CATALOGUE.iter().any(|s| s.path == d.path && s.graph_only))
        .collect();
    let mut m = SynthModule::with_deps(spec.path, spec.version, &imported);
    m.go_mod = spec.go.map(|go| {
        let requires: Vec<(&str, &str)> = deps
            .iter()
            .map(|d| (d.path.as_str(), d.version.as_str()))
            .collect();
        go_mod_text(spec.path, go, &requires)
    });
    let pkg = m.package_name();
    let holder = spec.path.split('/').nth(1).unwrap_or(spec.path);
    let readme = format!(
        "# {path}\n\n{blurb}\n\n```go\nimport {quoted}\n```\n\n\
         > Synthetic stand-in generated by `modscope demo`: same module path, not the real code.\n",
        path = spec.path,
        blurb = spec.blurb,
        quoted = go_quote(spec.path),
    );
    let helpers = format!(
        "package {pkg}\n\nimport \"strings\"\n\n\
         // Describe returns \"<module>@<version>\".\nfunc Describe() string {{\n\
         \treturn strings.Join([]string{{Path(), Version}}, \"@\")\n}}\n"
    );
    m.with_file("LICENSE", license_text(spec.license, holder))
        .with_file("README.md", readme)
        .with_file(format!("{pkg}_describe.go"), helpers)
}
