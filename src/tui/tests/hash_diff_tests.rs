//! Two hashes that differ are marked where they differ, cell by cell.

use super::*;
use ratatui::style::{Color, Modifier};

#[test]
fn the_characters_where_a_hash_differs_from_go_sum_are_reversed() {
    let mut f = demo_state(120, 40);
    f.state.color = true;
    f.select("github.com/google/uuid");
    f.send(Msg::OpenDetail);
    let m = f.state.selected_module().unwrap().clone();
    let go_sum = m.go_sum.h1.clone().unwrap();
    let tree = m.computed.dir_h1.clone().unwrap();
    assert_ne!(go_sum, tree);
    let buf = screen_buffer(&f);
    let rows = screen_rows(&f);
    let y = rows
        .iter()
        .position(|r| r.contains("✗ tree (now)"))
        .unwrap();
    let x0 = rows[y].split(&tree).next().unwrap().chars().count();
    let mut differing = 0;
    for (i, (a, b)) in tree.chars().zip(go_sum.chars()).enumerate() {
        let cell = &buf[((x0 + i) as u16, y as u16)];
        assert_eq!(cell.symbol(), a.to_string());
        assert_eq!(cell.fg, Color::Red, "a mismatching hash is red throughout");
        assert_eq!(
            cell.modifier.contains(Modifier::REVERSED),
            a != b,
            "column {i}: {a} vs go.sum's {b}"
        );
        differing += usize::from(a != b);
    }
    assert!(
        differing > 0 && differing < tree.len(),
        "h1: is common to both"
    );
    // A hash that agrees has no mark.
    let y = rows.iter().position(|r| r.contains("✓ .ziphash")).unwrap();
    let x0 = rows[y].split(&go_sum).next().unwrap().chars().count();
    for i in 0..go_sum.len() {
        let cell = &buf[((x0 + i) as u16, y as u16)];
        assert!(!cell.modifier.contains(Modifier::REVERSED));
    }
}
