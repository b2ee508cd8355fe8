//! The output of `go mod download -json`: a stream of pretty-printed JSON objects, one per
//! module, printed after every download finished (spec §5.2). Not an array. Stdout is empty when
//! go stops with a fatal error (a go.sum mismatch): the reason is then only on stderr.

use serde::{Deserialize, Serialize};

/// One module of the stream. go omits empty fields; `Info`, `GoMod`, `Query`, `Origin`, `Reuse`
/// are ignored here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DownloadResult {
    pub path: String,
    pub version: String,
    /// The error for this module; the fields filled before the failing step stay set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cached `.zip`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    /// The extracted directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir: Option<String>,
    /// The go.sum `h1:` of the zip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sum: Option<String>,
    /// The go.sum `h1:` of the `.mod` file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub go_mod_sum: Option<String>,
}

impl DownloadResult {
    pub fn is_ok(&self) -> bool {
        self.error.is_none()
    }
}

/// Parses the whole stdout of `go mod download -json`. Empty (or blank) input gives an empty
/// list; anything that is not a stream of module objects is an error.
pub fn parse_download_json(stdout: &str) -> Result<Vec<DownloadResult>, serde_json::Error> {
    serde_json::Deserializer::from_str(stdout)
        .into_iter::<DownloadResult>()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Captured from go1.26.8 (`GOPROXY=file://` of the demo proxy, GOSUMDB=off, fresh cache):
    //   ok:    go mod download -json github.com/google/uuid@v1.6.0 gopkg.in/yaml.v3@v3.0.1 (exit 0)
    //   error: go mod download -json github.com/google/uuid@v1.6.0 example.com/nope@v1.0.0 (exit 1)
    //   query: go mod download -json github.com/google/uuid@latest
    //   fatal: go mod download -json with a wrong go.sum line: empty stdout, this stderr, exit 1
    const OK: &str = include_str!("testdata/download_ok.json");
    const ERROR: &str = include_str!("testdata/download_error.json");
    const QUERY: &str = include_str!("testdata/download_query.json");
    const FATAL_STDERR: &str = include_str!("testdata/download_fatal.stderr");

    #[test]
    fn parses_a_successful_download_of_two_modules() {
        let r = parse_download_json(OK).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(
            r[0],
            DownloadResult {
                path: "github.com/google/uuid".into(),
                version: "v1.6.0".into(),
                error: None,
                zip: Some("/tmp/cap/mc/cache/download/github.com/google/uuid/@v/v1.6.0.zip".into()),
                dir: Some("/tmp/cap/mc/github.com/google/uuid@v1.6.0".into()),
                sum: Some("h1:icdsEXv41CL67v0ozVHCSLJ8qms5qBH/y7yPSDe/90w=".into()),
                go_mod_sum: Some("h1:/d/RGmmgK7LHaVkQ5FinZnhb0YGuNVvwFK1OxOuvxjw=".into()),
            }
        );
        assert_eq!(r[1].path, "gopkg.in/yaml.v3");
        assert!(r.iter().all(DownloadResult::is_ok));
    }

    #[test]
    fn a_failed_module_keeps_its_error_and_the_others_succeed() {
        let r = parse_download_json(ERROR).unwrap();
        assert_eq!(r.len(), 2);
        assert!(r[0].is_ok());
        assert_eq!(r[1].path, "example.com/nope");
        assert!(
            r[1].error
                .as_deref()
                .unwrap()
                .starts_with("example.com/nope@v1.0.0: reading file://")
        );
        assert_eq!((r[1].zip.as_ref(), r[1].sum.as_ref()), (None, None));
    }

    #[test]
    fn a_query_result_names_the_resolved_version() {
        let r = parse_download_json(QUERY).unwrap();
        assert_eq!(
            (r[0].path.as_str(), r[0].version.as_str()),
            ("github.com/google/uuid", "v1.6.0")
        );
    }

    #[test]
    fn a_fatal_error_leaves_stdout_empty() {
        assert!(FATAL_STDERR.contains("SECURITY ERROR"));
        assert_eq!(parse_download_json("").unwrap(), vec![]);
        assert_eq!(parse_download_json("\n  \n").unwrap(), vec![]);
    }

    #[test]
    fn garbage_and_truncated_streams_are_errors() {
        assert!(parse_download_json("go: no module dependencies").is_err());
        assert!(parse_download_json(&OK[..OK.len() / 2]).is_err());
        assert!(parse_download_json("[]").is_err());
    }
}
