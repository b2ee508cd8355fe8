//! `y`: the selected module's fix commands to the clipboard.

use crate::tui::app_state::AppState;
use crate::tui::effect::Effect;

/// `y`: the selected module's fix commands (each once, one a line) to the clipboard.
pub(super) fn copy_fix(state: &mut AppState) -> Vec<Effect> {
    let Some(m) = state.selected_module() else {
        state.say("no module selected");
        return Vec::new();
    };
    let mut fixes: Vec<&str> = Vec::new();
    for fix in m.problems.iter().filter_map(|p| p.fix.as_deref()) {
        if !fixes.contains(&fix) {
            fixes.push(fix);
        }
    }
    if fixes.is_empty() {
        let message = format!("{} has no fix to copy: nothing is wrong with it", m.path);
        state.say(message);
        return Vec::new();
    }
    let text = fixes.join("\n");
    state.say("fix copied");
    vec![Effect::CopyToClipboard(text)]
}
