//! In wide terminals the list takes what its columns need and the detail pane the rest.

use super::*;
use crate::tui::layout::Areas;

#[test]
fn in_wide_terminals_the_detail_pane_gets_the_spare_width() {
    let f = demo_state(220, 40);
    let areas = Areas::compute(220, 40, &f.state);
    assert!(
        areas.list.width < 220 * 60 / 100,
        "the list no longer takes 60%: {areas:?}"
    );
    assert_eq!(areas.list.width, f.state.list_need);
    assert_eq!(areas.detail.width, 220 - areas.list.width);
    assert_eq!(areas.detail.x, areas.list.width);
    // Narrower, but every row whole: no path or version is shortened.
    let rows = screen_rows(&f);
    let list_rows: Vec<String> = rows[usize::from(areas.list.y) + 2..]
        .iter()
        .take(f.state.visible.len().min(f.state.list_rows))
        .map(|r| r.chars().take(usize::from(areas.list.width)).collect())
        .collect();
    for (row, &i) in list_rows
        .iter()
        .zip(&f.state.visible[f.state.list_offset..])
    {
        let m = &f.state.modules[i];
        assert!(
            row.contains(&m.path) && row.contains(&m.version) && !row.contains('…'),
            "{row}"
        );
    }
    // A list too narrow for its columns keeps its 60% cap; 160 columns still side by side.
    let f = demo_state(160, 40);
    let areas = Areas::compute(160, 40, &f.state);
    assert!(
        areas.list.width <= 96 && areas.detail.width >= 64,
        "{areas:?}"
    );
}
