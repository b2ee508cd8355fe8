use super::*;

#[test]
fn goauth_values_parse_as_go_parses_them() {
    assert_eq!(parse("").unwrap(), vec![Method::Netrc]);
    assert_eq!(parse("off").unwrap(), vec![]);
    assert_eq!(parse(" off ").unwrap(), vec![]);
    assert!(
        parse("off;netrc")
            .unwrap_err()
            .contains("cannot be combined")
    );
    assert!(parse("netrc;").unwrap_err().contains("empty command"));
    assert!(parse("netrc; ;x").unwrap_err().contains("empty command"));
    assert!(parse("git").unwrap_err().contains("absolute path"));
    assert!(
        parse("git relative/dir")
            .unwrap_err()
            .contains("not absolute")
    );
    assert!(
        parse("git /no/such/dir/for/goauth")
            .unwrap_err()
            .contains("not a directory")
    );
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().display().to_string();
    assert_eq!(
        parse(&format!("netrc;git {dir}; /bin/auth 'a b' \"c\"")).unwrap(),
        vec![
            Method::Netrc,
            Method::Git(tmp.path().to_path_buf()),
            Method::Command(
                "/bin/auth 'a b' \"c\"".into(),
                vec!["/bin/auth".into(), "a b".into(), "c".into()]
            ),
        ]
    );
    assert!(
        parse("/bin/auth 'open")
            .unwrap_err()
            .contains("unterminated")
    );
}

#[test]
fn command_output_is_read_as_credential_sets() {
    let out = "https://example.com\nhttps://example.net/api/\n\nAuthorization: Basic dG9rZW4=\n\nhttps://another-example.org/\n\nExample: Data\nX-Two:   spaced  \n\n";
    let sets = parse_command_output(out).unwrap();
    let auth = vec![("Authorization".to_string(), "Basic dG9rZW4=".to_string())];
    assert_eq!(sets.get("example.com"), Some(&auth));
    assert_eq!(sets.get("example.net/api"), Some(&auth));
    assert_eq!(
        sets.get("another-example.org"),
        Some(&vec![
            ("Example".to_string(), "Data".to_string()),
            ("X-Two".to_string(), "spaced".to_string())
        ])
    );
    assert!(parse_command_output("").unwrap().is_empty());
    assert!(
        parse_command_output("https://example.com\n")
            .unwrap_err()
            .contains("after URLs")
    );
    assert!(
        parse_command_output("https://example.com\n\nAuthorization: x\n")
            .unwrap_err()
            .contains("after headers")
    );
    assert!(parse_command_output("https://example.com\n\nno colon\n\n").is_err());
    assert!(parse_command_output("https://example.com\n\nBad Name: x\n\n").is_err());
    assert!(parse_command_output("not a url\n\nA: b\n\n").is_err());
}

#[test]
fn git_output_gives_the_prefix_and_the_login() {
    let (prefix, user, password) =
        parse_git_output("protocol=https\nhost=127.0.0.1:8443\nusername=team\npassword=s3cret\n");
    assert_eq!(prefix, "https://127.0.0.1:8443");
    assert_eq!((user.as_str(), password.as_str()), ("team", "s3cret"));
    let (prefix, _, _) =
        parse_git_output("protocol=https\nhost=h\npath=team/go\nurl=https://h/team\n");
    assert_eq!(prefix, "https://h/team");
    let (prefix, _, _) = parse_git_output("protocol=https\nhost=h\npath=team/go\n");
    assert_eq!(prefix, "https://h/team/go");
    assert_eq!(parse_git_output("nothing\n").0, "");
}

#[test]
fn the_first_method_wins_and_the_longest_prefix_is_used_over_https_only() {
    let tmp = tempfile::tempdir().unwrap();
    let netrc = tmp.path().join("netrc");
    std::fs::write(
        &netrc,
        "machine h.example login first password p1\n\
         machine h.example login second password p2\n\
         machine h.example/team login t password pt\n",
    )
    .unwrap();
    let script = tmp.path().join("auth.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nprintf 'https://h.example\\n\\nAuthorization: Bearer from-command\\n\\n'\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let vars = vec![("NETRC".to_string(), netrc.display().to_string())];
    let command = script.display().to_string();

    let netrc_first = GoAuth::new(Some(&format!("netrc;{command}")), &vars).unwrap();
    assert_eq!(
        netrc_first.headers("https://h.example/m/@v/list"),
        Some(basic("first", "p1"))
    );
    assert_eq!(
        netrc_first.headers("https://h.example/team/m/@v/list"),
        Some(basic("t", "pt"))
    );
    assert_eq!(netrc_first.headers("http://h.example/m/@v/list"), None);
    assert_eq!(netrc_first.headers("https://other.example/m"), None);

    let command_first = GoAuth::new(Some(&format!("{command};netrc")), &vars).unwrap();
    assert_eq!(
        command_first.headers("https://h.example/m/@v/list"),
        Some(vec![(
            "Authorization".to_string(),
            "Bearer from-command".to_string()
        )])
    );
    let off = GoAuth::new(Some("off"), &vars).unwrap();
    assert_eq!(off.headers("https://h.example/m"), None);
}

#[test]
fn a_failing_command_is_named_without_its_output() {
    let tmp = tempfile::tempdir().unwrap();
    let script = tmp.path().join("auth.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\necho 'password=s3cret' >&2\necho 'https://h.example'\nexit 3\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let command = script.display().to_string();
    let auth = GoAuth::new(Some(&command), &[]).unwrap();
    assert_eq!(auth.headers("https://h.example/m"), None);
    let errors = auth.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains(&command) && errors[0].contains("exit status: 3"),
        "{errors:?}"
    );
    assert!(!errors[0].contains("s3cret"));
}
