//! `/` in the dependency tree filters it: the modules whose path matches, wherever they are
//! in the graph, with the rows above them.

use super::*;

#[test]
fn slash_in_the_tree_filters_it_to_the_matches_and_their_ancestors() {
    let mut f = demo_state(120, 40);
    f.send(Msg::ToggleTree);
    let unfiltered = f.state.tree().unwrap().rows.len();
    let deep = "github.com/mattn/go-isatty".to_string();
    let needle = "isatty".to_string();
    f.send(Msg::StartFilter);
    for c in needle.chars() {
        f.send(Msg::FilterInput(c));
    }
    f.send(Msg::FilterAccept);
    let tree = f.state.tree().unwrap();
    let paths: Vec<&str> = tree.rows.iter().map(|r| r.node.path.as_str()).collect();
    assert!(paths.contains(&deep.as_str()), "{paths:?}");
    assert!(tree.rows.len() < unfiltered, "{paths:?}");
    assert_eq!(tree.rows[0].depth, 0, "the main module stays at the root");
    // Every row matches or leads to a match below it.
    for (i, r) in tree.rows.iter().enumerate() {
        let leads = tree.rows[i + 1..]
            .iter()
            .take_while(|below| below.depth > r.depth)
            .any(|below| below.node.path.contains(&needle));
        assert!(r.node.path.contains(&needle) || leads, "{paths:?}");
    }
    assert!(tree.rows[tree.cursor].node.path.contains(&needle));
    let screen = screen_rows(&f).join("\n");
    assert!(
        screen.contains(&format!("filter: {needle}")) && screen.contains(&deep),
        "{screen}"
    );
    // Enter selects it in the list, as without a filter.
    let at_cursor = {
        let tree = f.state.tree().unwrap();
        tree.rows[tree.cursor].node.path.clone()
    };
    f.send(Msg::TreeJump);
    assert_eq!(f.state.selected_module().unwrap().path, at_cursor);
    // Cleared, the tree is whole again.
    f.send(Msg::ToggleTree);
    f.send(Msg::StartFilter);
    f.send(Msg::FilterClear);
    assert_eq!(f.state.tree().unwrap().rows.len(), unfiltered);
}
