//! "Why it is here" in the detail pane: a one-line summary, then the requirers, capped.

use super::*;
use gomodcache::graph::why::{Requirer, WhyAnswer};

#[test]
fn why_it_is_here_is_a_summary_then_at_most_eight_requirers() {
    let mut f = demo_state(120, 40);
    f.select("github.com/google/uuid");
    let path = "github.com/google/uuid".to_string();
    let mut required_by = vec![Requirer {
        by: "github.com/acme/inventory".into(),
        version: "v1.6.0".into(),
    }];
    required_by.extend((0..4).map(|i| Requirer {
        by: format!("example.com/up{i}@v1.0.0"),
        version: "v1.6.0".into(),
    }));
    required_by.extend((0..90).map(|i| Requirer {
        by: format!("example.com/low{i:02}@v1.0.0"),
        version: "v1.1.0".into(),
    }));
    let winners = required_by[..5].to_vec();
    f.state.why = Some(WhyAnswer {
        path: path.clone(),
        selected: Some("v1.6.0".into()),
        required_by,
        winners,
        paths: vec![vec![
            "github.com/acme/inventory".into(),
            "github.com/google/uuid@v1.6.0".into(),
        ]],
        truncated: false,
        path_count: 1,
        summary: "a long sentence ".repeat(20),
    });
    f.send(Msg::OpenDetail);
    f.send(Msg::End);
    let rows = screen_rows(&f);
    let at = rows
        .iter()
        .position(|r| r.contains("Why it is here"))
        .unwrap_or_else(|| panic!("{rows:#?}"));
    let text = |r: &String| r.trim_matches('│').trim().to_string();
    assert_eq!(
        text(&rows[at + 1]),
        "selected v1.6.0: required at that version by 5 modules, including the main module; 90 lower requirements"
    );
    let listed: Vec<String> = rows[at + 2..at + 10].iter().map(text).collect();
    assert!(
        listed.iter().all(|l| l.starts_with("required by ")),
        "{listed:#?}"
    );
    assert_eq!(
        listed[0],
        "required by github.com/acme/inventory (v1.6.0)  ← selected"
    );
    assert_eq!(text(&rows[at + 10]), "… and 87 more");
    assert!(
        text(&rows[at + 11])
            .starts_with("shortest path github.com/acme/inventory → github.com/google/uuid@v1.6.0"),
        "{}",
        rows[at + 11]
    );
    assert!(!rows.iter().any(|r| r.contains("a long sentence")));
    // The hashes come before it.
    let hashes = rows.iter().position(|r| r.contains("Hashes"));
    assert!(hashes.is_none_or(|h| h < at), "{rows:#?}");
}

#[test]
fn the_headline_names_the_main_module_and_counts() {
    let r = |by: &str, v: &str| Requirer {
        by: by.into(),
        version: v.into(),
    };
    let answer = |required_by: Vec<Requirer>, winners: usize| WhyAnswer {
        path: "m".into(),
        selected: Some("v1.0.0".into()),
        winners: required_by[..winners].to_vec(),
        required_by,
        paths: Vec::new(),
        truncated: false,
        path_count: 0,
        summary: String::new(),
    };
    assert_eq!(
        answer(vec![r("main", "v1.0.0")], 1).headline(),
        "selected v1.0.0: required at that version by the main module"
    );
    assert_eq!(
        answer(vec![r("a@v1", "v1.0.0"), r("b@v1", "v0.9.0")], 1).headline(),
        "selected v1.0.0: required at that version by 1 module; 1 lower requirement"
    );
}
