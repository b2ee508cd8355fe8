//! What fills the list area: the module list, or the one view that takes its place.

use super::super::tree_view::TreeView;

/// One value, so two views can never be open at once and no reader has to know which one
/// wins: opening a view replaces whichever was there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ListArea {
    /// The project's modules, filtered and sorted (`visible`).
    #[default]
    Modules,
    /// The dependency tree (`T`) over the list. Its rows and expansions go when it closes: it
    /// is rebuilt from the graph when it opens again.
    Tree(TreeView),
    /// The whole module cache (`C`), in the place of the list and the detail pane. Its scan is
    /// kept in `AppState::cache`, beyond the view's closing.
    Cache,
    /// The last check of the project's proxy (`P`), in the place of the list and the detail
    /// pane. Kept in `AppState::proxy`, beyond the view's closing.
    Proxy,
}

impl ListArea {
    /// Whether the view takes the detail pane's place too (the tree shares the screen with it).
    pub fn covers_detail(&self) -> bool {
        matches!(self, ListArea::Cache | ListArea::Proxy)
    }
}
