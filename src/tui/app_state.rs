//! The whole UI state. Only `update` changes it; views only read it.

mod list_area;
mod list_order;

pub use list_area::ListArea;
pub use list_order::{SortKey, StatusFilter};

use super::cache_view::CacheView;
use super::notice::{NOTICE_FOR, Notice};
use super::proxy_view::ProxyView;
use super::scan::EnvSummary;
use super::task_log::TaskView;
pub use super::tree_view::{TreeRow, TreeView};
use crate::jobs::JobId;
use gomodcache::analysis::report::{ModuleReport, Summary};
use gomodcache::edit::tidy_backup::TidyBackup;
use gomodcache::graph::ModGraph;
use gomodcache::graph::why::WhyAnswer;
use gomodcache::offline::verdict::OfflineReport;
use gomodcache::project::{FileProblem, Project};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
    Tasks,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help,
    /// What blocks `GOPROXY=off go build ./...`.
    Offline,
    /// The problems in the project's files (`file_problems`).
    FileProblems,
    /// The diff `go mod tidy -diff` printed; `y` tidies for real.
    ConfirmTidy {
        diff: Vec<String>,
    },
    /// Where to write the offline bundle (edited in place; Enter starts the export).
    ExportPrompt {
        path: String,
    },
    /// A task's exact command line and its whole (kept) output.
    TaskLog {
        id: JobId,
    },
    /// What a repair moves into the quarantine and runs; `y` starts it.
    ConfirmRepair {
        plan: Box<crate::jobs::repair_job::RepairPlan>,
    },
    /// The marked versions to move to the quarantine; `y` starts the prune.
    ConfirmPrune {
        plan: Box<gomodcache::inventory::plan::PrunePlan>,
    },
    /// The go.sum lines to delete and the download that re-adds them; `y` starts it.
    ConfirmGoSumFix {
        fix: Box<GoSumFix>,
    },
}

/// A go.sum line that disagrees with a consistent cache, to delete and have go write again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoSumFix {
    /// The module as the project requires it.
    pub module: String,
    /// `path@version` of the go.sum key (the replacement's, when replaced).
    pub at: String,
    pub go_sum: PathBuf,
    /// 1-based line numbers with the text each holds.
    pub lines: Vec<(usize, String)>,
    pub command_line: String,
}

/// What the header says about the project, from the last scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderInfo {
    pub main_module: Option<String>,
    pub go_version: Option<String>,
    pub toolchain: Option<String>,
    pub workspace: Option<String>,
    pub env: EnvSummary,
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub project_dir: PathBuf,
    pub gomodcache: PathBuf,
    /// Environment for `go` children (demo: its own cache and proxy).
    pub go_env: Vec<(String, String)>,
    pub demo: bool,
    pub header: HeaderInfo,
    pub project: Option<Project>,
    pub graph: Option<ModGraph>,
    /// The offline verdict of the last scan, and whether a job has changed the cache since.
    pub offline: Option<OfflineReport>,
    pub offline_stale: bool,
    /// Why the selected module is in the graph; recomputed by `update` when the selection moves.
    pub why: Option<WhyAnswer>,
    /// What the last scan found wrong with the project's files (a malformed go.sum or
    /// vendor/modules.txt line, what makes go refuse the workspace, the build list's
    /// unreadable go.mod files, a module cache that is not there): `modscope check`'s
    /// "project files", shown by `!`. (A go.mod that does not parse fails the scan itself.)
    pub file_problems: Vec<FileProblem>,
    /// The module list, or the view open in its place (the tree, the cache or the proxy view).
    pub list_area: ListArea,
    /// The whole module cache (`C`). Its last scan is kept when the view closes (the detail
    /// pane names the other projects from it).
    pub cache: CacheView,
    /// The last check of the project's proxy (`P`).
    pub proxy: ProxyView,
    /// Where a prune moves what it removes (none: no cache directory for modscope).
    pub quarantine_root: Option<PathBuf>,
    pub scanning: bool,
    /// The scan whose list is on screen (its graph is the one to take).
    pub scan_id: u64,
    pub scan_error: Option<String>,
    pub modules: Vec<ModuleReport>,
    /// Indices into `modules`, filtered and sorted; recomputed by `update`, never by views.
    pub visible: Vec<usize>,
    /// Columns the module list needs to show every visible row whole (its widest path and
    /// version, the fixed columns, borders); kept with `visible`, so layouts need no scan.
    pub list_need: u16,
    /// Index into `visible`.
    pub selected: usize,
    /// First visible row of the list.
    pub list_offset: usize,
    /// Rows the list can show, from the last layout (kept in sync on resize).
    pub list_rows: usize,
    pub filter_text: String,
    pub filter_editing: bool,
    pub status_filter: StatusFilter,
    pub sort: SortKey,
    pub focus: Focus,
    /// Enter toggles a full-height detail pane.
    pub detail_maximized: bool,
    pub detail_scroll: u16,
    pub overlay: Option<Overlay>,
    pub overlay_scroll: u16,
    /// Set when streamed results changed `modules`; `visible` is recomputed once per batch.
    pub visible_stale: bool,
    pub tasks: Vec<TaskView>,
    pub selected_task: usize,
    /// The last verification of every module started (running or not): `V` is refused while it
    /// runs. Kept by id because the job renames its task when it starts.
    pub full_verify: Option<JobId>,
    pub next_job_id: JobId,
    pub last_backup: Option<TidyBackup>,
    /// One line of feedback above the key hints, gone after a few seconds or at the next key.
    pub notice: Option<Notice>,
    pub now: Instant,
    pub width: u16,
    pub height: u16,
    pub color: bool,
    pub dirty: bool,
    pub should_quit: bool,
}

impl AppState {
    pub fn new(
        project_dir: PathBuf,
        gomodcache: PathBuf,
        go_env: Vec<(String, String)>,
        demo: bool,
        now: Instant,
    ) -> Self {
        AppState {
            project_dir,
            gomodcache,
            go_env,
            demo,
            header: HeaderInfo::default(),
            project: None,
            graph: None,
            offline: None,
            offline_stale: false,
            why: None,
            file_problems: Vec::new(),
            list_area: ListArea::Modules,
            cache: CacheView::default(),
            proxy: ProxyView::default(),
            quarantine_root: None,
            scanning: true,
            scan_id: 0,
            scan_error: None,
            modules: Vec::new(),
            visible: Vec::new(),
            list_need: 0,
            selected: 0,
            list_offset: 0,
            list_rows: 10,
            filter_text: String::new(),
            filter_editing: false,
            status_filter: StatusFilter::All,
            sort: SortKey::Status,
            focus: Focus::List,
            detail_maximized: false,
            detail_scroll: 0,
            overlay: None,
            overlay_scroll: 0,
            visible_stale: false,
            tasks: Vec::new(),
            selected_task: 0,
            full_verify: None,
            next_job_id: 1,
            last_backup: None,
            notice: None,
            now,
            width: 80,
            height: 24,
            color: true,
            dirty: true,
            should_quit: false,
        }
    }

    pub fn summary(&self) -> Summary {
        Summary::of(&self.modules)
    }

    /// The dependency tree, when it is open.
    pub fn tree(&self) -> Option<&TreeView> {
        match &self.list_area {
            ListArea::Tree(tree) => Some(tree),
            _ => None,
        }
    }

    /// The module the detail pane describes: the tree's cursor when the tree is open, else the
    /// list's selection.
    pub fn selected_module(&self) -> Option<&ModuleReport> {
        if let Some(row) = self.tree().and_then(|t| t.rows.get(t.cursor)) {
            return self.modules.iter().find(|m| m.path == row.node.path);
        }
        self.visible
            .get(self.selected)
            .and_then(|&i| self.modules.get(i))
    }

    pub fn has_running_jobs(&self) -> bool {
        self.tasks.iter().any(|t| t.state.is_active())
    }

    pub fn task(&self, id: JobId) -> Option<&TaskView> {
        self.tasks.iter().find(|t| t.id == id)
    }

    pub fn task_mut(&mut self, id: JobId) -> Option<&mut TaskView> {
        self.tasks.iter_mut().find(|t| t.id == id)
    }

    fn matches_text(&self, m: &ModuleReport) -> bool {
        if self.filter_text.is_empty() {
            return true;
        }
        let needle = self.filter_text.to_lowercase();
        m.path.to_lowercase().contains(&needle)
            || m.version.to_lowercase().contains(&needle)
            || m.problems.iter().any(|p| p.kind.as_str().contains(&needle))
    }

    /// Recomputes `visible` from the filters and the sort, keeping the selected module selected
    /// when it is still visible.
    pub fn recompute_visible(&mut self) {
        let keep = self.selected_module().map(|m| m.path.clone());
        let mut visible: Vec<usize> = (0..self.modules.len())
            .filter(|&i| {
                self.status_filter.accepts(&self.modules[i]) && self.matches_text(&self.modules[i])
            })
            .collect();
        let m = &self.modules;
        match self.sort {
            SortKey::Status => visible.sort_by(|&a, &b| {
                m[a].status
                    .cmp(&m[b].status)
                    .then_with(|| m[a].path.cmp(&m[b].path))
            }),
            SortKey::Path => visible.sort_by(|&a, &b| m[a].path.cmp(&m[b].path)),
            SortKey::Size => visible.sort_by(|&a, &b| {
                m[b].zip_size
                    .cmp(&m[a].zip_size)
                    .then_with(|| m[a].path.cmp(&m[b].path))
            }),
        }
        self.list_need = list_columns_need(&self.modules, &visible);
        self.visible = visible;
        self.selected = keep
            .and_then(|p| self.visible.iter().position(|&i| self.modules[i].path == p))
            .unwrap_or(0);
        self.scroll_to_selected();
    }

    /// Keeps the selected row inside the window of `list_rows` rows.
    pub fn scroll_to_selected(&mut self) {
        let rows = self.list_rows.max(1);
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + rows {
            self.list_offset = self.selected + 1 - rows;
        }
        self.list_offset = self
            .list_offset
            .min(self.visible.len().saturating_sub(rows));
    }

    pub fn allocate_job_id(&mut self) -> JobId {
        let id = self.next_job_id;
        self.next_job_id += 1;
        id
    }
}

/// The module list's fixed columns: status (`✗ mismatch`), dependency kind (`indirect`), zip
/// size; one place for the list's drawing and the layout's width.
pub const LIST_COLUMN_WIDTHS: (u16, u16, u16) = (10, 8, 9);
/// What the list spends besides its columns: spacing 4, the selection mark 2 and borders 2.
pub const LIST_CHROME_WIDTH: u16 = 4 + 2 + 2;

/// The module list's width for `visible` rows: the fixed columns and chrome, with the widest
/// path and version (8 to 34 columns, as the list sizes its version column).
fn list_columns_need(modules: &[ModuleReport], visible: &[usize]) -> u16 {
    let (path, version) = visible.iter().fold((0, 0), |(p, v), &i| {
        let m = &modules[i];
        (
            p.max(m.path.chars().count()),
            v.max(m.version.chars().count()),
        )
    });
    let (status, dep, zip) = LIST_COLUMN_WIDTHS;
    let fixed = usize::from(status + dep + zip + LIST_CHROME_WIDTH);
    let need = fixed + path + version.clamp(8, 34);
    u16::try_from(need).unwrap_or(u16::MAX)
}

/// The one-line notice (see [`super::notice`]).
impl AppState {
    /// Shows `text` as the notice, replacing any other.
    pub fn say(&mut self, text: impl Into<String>) {
        self.say_for(text, NOTICE_FOR);
    }

    /// Shows `text` for `duration` (or until the next key).
    pub fn say_for(&mut self, text: impl Into<String>, duration: Duration) {
        self.notice = Some(Notice {
            text: text.into(),
            until: self.now + duration,
            wake_scheduled: false,
        });
    }

    /// The notice's text, if one is shown.
    pub fn notice_text(&self) -> Option<&str> {
        self.notice.as_ref().map(|n| n.text.as_str())
    }
}
