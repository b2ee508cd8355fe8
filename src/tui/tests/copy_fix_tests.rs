//! `y` copies the selected module's fix (an OSC 52 effect the event loop writes); the detail
//! pane shows the fix as one block.

use super::*;
use crate::tui::effect::Effect;
use crate::tui::view::detail_pane::FIX_INDENT;

#[test]
fn y_copies_the_fix_as_an_effect_and_says_so() {
    let mut f = demo_state(80, 24);
    f.select("github.com/google/uuid");
    let fix = f.state.selected_module().unwrap().problems[0]
        .fix
        .clone()
        .unwrap();
    let effects = f.send(Msg::CopyFix);
    assert!(
        effects.contains(&Effect::CopyToClipboard(fix.clone())),
        "{effects:?}"
    );
    assert_eq!(f.state.notice_text(), Some("fix copied"));
    // The bytes the event loop writes for it.
    let bytes = crate::tui::clipboard::osc52(&fix);
    assert!(bytes.starts_with(b"\x1b]52;c;") && bytes.ends_with(b"\x07"));
    // A module with nothing wrong has nothing to copy.
    f.select("github.com/BurntSushi/toml");
    let effects = f.send(Msg::CopyFix);
    assert!(no_work(&effects), "{effects:?}");
    assert!(f.state.notice_text().unwrap().contains("no fix to copy"));
}

#[test]
fn the_fix_is_one_indented_block_wrapped_at_spaces() {
    let mut f = demo_state(80, 24);
    f.select("github.com/acme/legacy-auth");
    let fix = f.state.selected_module().unwrap().problems[0]
        .fix
        .clone()
        .unwrap();
    assert!(fix.chars().count() > 78, "long enough to wrap: {fix}");
    f.send(Msg::OpenDetail);
    let rows = screen_rows(&f);
    let label = rows
        .iter()
        .position(|r| r.contains("fix (y copies it):"))
        .expect("the fix label");
    // The block: every row in the same column, inside the border, until a blank row.
    let block: Vec<String> = rows[label + 1..]
        .iter()
        .map(|r| {
            r.trim_start_matches('│')
                .trim_end_matches('│')
                .trim_end()
                .to_string()
        })
        .take_while(|r| r.starts_with(FIX_INDENT) && !r.trim().is_empty())
        .collect();
    assert!(block.len() >= 2, "{rows:#?}");
    // Nothing lost or added: the rows are the command, cut at spaces (or inside a word only
    // when it is longer than a row).
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    assert_eq!(squeeze(&block.concat()), squeeze(&fix), "{block:#?}");
    // Cut at spaces, not inside a module path: the rows joined by one space are the command.
    let joined: Vec<&str> = block.iter().map(|r| r.trim()).collect();
    assert_eq!(joined.join(" "), fix, "{block:#?}");
}
