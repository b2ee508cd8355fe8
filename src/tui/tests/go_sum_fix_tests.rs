//! `S` on a go.sum `/go.mod` line that disagrees with a consistent cache (the cached `.mod` is
//! the go.mod inside the module's own zip): the confirmation names that line, and `y` deletes
//! it with a backup and has go write it again. A `.mod` edited in the cache is the repair's.

use super::*;
use crate::tui::app_state::Overlay;
use crate::tui::effect::Effect;

const TOML: (&str, &str) = ("github.com/BurntSushi/toml", "v1.3.2");
const WRONG: &str = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

fn edit_go_mod_line(layout: &DemoLayout) {
    let go_sum = layout.project_dir.join("go.sum");
    let key = format!("{} {}/go.mod ", TOML.0, TOML.1);
    let text = std::fs::read_to_string(&go_sum).unwrap();
    assert!(text.contains(&key), "{text}");
    let edited: String = text
        .lines()
        .map(|l| match l.starts_with(&key) {
            true => format!("{key}{WRONG}\n"),
            false => format!("{l}\n"),
        })
        .collect();
    std::fs::write(go_sum, edited).unwrap();
}

#[test]
fn s_offers_the_go_mod_line_go_sum_got_wrong_and_y_deletes_it() {
    let mut f = demo_state_edited(120, 40, edit_go_mod_line);
    f.select(TOML.0);
    let row = f.state.selected_module().unwrap();
    assert!(
        row.fix.as_deref().is_some_and(|x| x.starts_with("awk ")),
        "the printed fix is go.sum's: {:?}",
        row.fix
    );
    f.send(Msg::FixGoSum);
    let Some(Overlay::ConfirmGoSumFix { fix }) = &f.state.overlay else {
        panic!("no confirmation: {:?}", f.state.overlay);
    };
    let fix = fix.clone();
    assert_eq!(fix.at, format!("{}@{}", TOML.0, TOML.1));
    assert_eq!(fix.go_sum, f.layout.project_dir.join("go.sum"));
    assert_eq!(fix.lines.len(), 1, "{:?}", fix.lines);
    assert_eq!(
        fix.lines[0].1,
        format!("{} {}/go.mod {WRONG}", TOML.0, TOML.1)
    );
    let screen = screen_rows(&f).join("\n");
    assert!(screen.contains(&fix.command_line), "{screen}");

    let effects = f.send(Msg::ConfirmYes);
    assert!(
        matches!(effects.as_slice(), [Effect::BackupThenFixGoSum { lines, go_sum, .. }]
            if *lines == fix.lines && *go_sum == fix.go_sum),
        "{effects:?}"
    );
}

#[test]
fn s_leaves_a_mod_edited_in_the_cache_to_the_repair() {
    let mut f = demo_state_edited(120, 40, |layout| {
        let files = ModuleCache::new(&layout.gomodcache)
            .files(TOML.0, TOML.1)
            .unwrap();
        std::fs::write(
            &files.go_mod,
            "module github.com/BurntSushi/toml\n// edited\n",
        )
        .unwrap();
    });
    f.select(TOML.0);
    f.send(Msg::FixGoSum);
    assert!(f.state.overlay.is_none(), "{:?}", f.state.overlay);
    let screen = screen_rows(&f).join("\n");
    assert!(screen.contains("no go.sum line to fix"), "{screen}");
}
