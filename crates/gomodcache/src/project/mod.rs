//! Finding and reading a project's module files the way `go` does: go.mod found from the start
//! directory upwards, go.work per GOWORK, go.sum (and go.work.sum), vendor/modules.txt.
//! A malformed main go.mod or go.work is fatal (as for go); a malformed go.sum line is reported
//! and the rest of the work goes on.

pub mod requirements;
pub mod vendor_mode;
pub mod workspace_errors;

use crate::fs::clean::clean_path;
use crate::fs::read::{limits, read_regular_file};
use crate::modfile::ParseError;
use crate::modfile::go_mod::{GoMod, Strictness, parse_go_mod};
use crate::modfile::go_sum::{GoSum, SumLine, parse_go_sum};
use crate::modfile::go_work::{GoWork, parse_go_work};
use crate::modfile::vendor::{ModulesTxt, parse_modules_txt};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use thiserror::Error;

/// A problem with a project file rather than with one module (e.g. a malformed go.sum line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileProblem {
    /// The file's path.
    pub file: String,
    /// 1-based line number, when the problem is on one line.
    pub line: Option<usize>,
    /// What is wrong, in the words of the parser or the OS.
    pub message: String,
}

/// Why a project cannot be loaded; each stops go too, with the same words.
#[derive(Debug, Error)]
pub enum ProjectError {
    /// No go.mod in the start directory or above it (and no go.work).
    #[error("go.mod file not found in {} or any parent directory; run modscope in a Go module (or pass -C DIR)", .0.display())]
    NoGoMod(PathBuf),
    /// A go.mod or go.work could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The error reading it.
        source: std::io::Error,
    },
    /// The main go.mod or go.work does not parse.
    #[error("{0}")]
    Parse(#[from] ParseError),
    /// GOWORK is set to a relative path.
    #[error("invalid GOWORK: not an absolute path: {0:?}")]
    RelativeGowork(String),
    /// A main go.mod has no `module` line.
    #[error("{}: missing module declaration. To specify the module path:\n\tgo mod edit -module=example.com/mod", .0.display())]
    NoModuleLine(PathBuf),
}

/// One module whose go.mod is a main module (the project's, or a workspace `use`).
#[derive(Debug, Clone)]
pub struct MainModule {
    /// The module's root directory.
    pub dir: PathBuf,
    /// Its go.mod file.
    pub go_mod_path: PathBuf,
    /// Shared: outside a workspace the project holds its main module twice (`main` and
    /// `main_modules`), and a large go.mod's parse is too big to copy before the first frame.
    pub go_mod: Arc<GoMod>,
}

impl MainModule {
    /// The path of its `module` line (`None` only if the line is missing).
    pub fn module_path(&self) -> Option<&str> {
        self.go_mod.module.as_ref().map(|m| m.path.as_str())
    }
}

/// The go.work in effect and what go makes of its `use` lines.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The go.work file.
    pub path: PathBuf,
    /// Its parse.
    pub work: GoWork,
    /// `use` lines go cannot load: every go command stops on each of them (reported, with the
    /// workspace's other refusals, by `workspace_errors`).
    pub use_problems: Vec<UseProblem>,
}

/// A go.work `use` line go refuses: a directory without a go.mod (often a published module's
/// go.work naming nested modules its zip does not hold), a file, a link loop, or a directory
/// already used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseProblem {
    /// As written in go.work.
    pub path: String,
    /// The directory it names, resolved against the go.work directory.
    pub dir: PathBuf,
    /// 1-based line number in go.work.
    pub line: usize,
    /// Why go refuses it.
    pub error: UseError,
}

/// Why go refuses a go.work `use` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UseError {
    /// Opening `dir/go.mod` failed with this error (as the OS words it, lower-case).
    NoGoMod(String),
    /// The same directory as the `use` on this earlier line (as written there).
    Duplicate {
        /// The earlier `use` line's number.
        first_line: usize,
        /// The earlier `use` line's path, as written.
        first_path: String,
    },
}

/// An io error as go prints it ("no such file or directory"), without Rust's "(os error 2)".
fn os_error_text(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// go.sum files in the order go consults them; the first `h1:` line for a key wins.
#[derive(Debug, Clone, Default)]
pub struct SumFiles {
    /// Each file's path and parse: each main module's go.sum, then go.work.sum.
    pub files: Vec<(PathBuf, GoSum)>,
}

impl SumFiles {
    /// The go.sum line go uses for the zip of `path@version` (the first `h1:` line), and its file.
    pub fn zip_line(&self, path: &str, version: &str) -> Option<(&Path, &SumLine)> {
        self.files
            .iter()
            .find_map(|(p, s)| s.zip_hash(path, version).map(|l| (p.as_path(), l)))
    }
    /// The go.sum line go uses for the `.mod` of `path@version`, and its file.
    pub fn go_mod_line(&self, path: &str, version: &str) -> Option<(&Path, &SumLine)> {
        self.files
            .iter()
            .find_map(|(p, s)| s.go_mod_hash(path, version).map(|l| (p.as_path(), l)))
    }
    /// Later `h1:` lines for the key whose hash differs from the first one, each with the file
    /// that holds it.
    pub fn disagreeing_in(
        &self,
        path: &str,
        version: &str,
        go_mod: bool,
    ) -> Vec<(&Path, &SumLine)> {
        self.files
            .iter()
            .flat_map(|(p, s)| {
                s.conflicting(path, version, go_mod)
                    .into_iter()
                    .map(move |l| (p.as_path(), l))
            })
            .collect()
    }
}

/// A Go project as go finds it: main module(s), go.work, go.sum files and vendor/modules.txt.
#[derive(Debug, Clone)]
pub struct Project {
    /// Where the search started (`-C DIR` or the current directory).
    pub start_dir: PathBuf,
    /// The module whose go.mod encloses `start_dir`, if any (always present outside workspaces).
    pub main: Option<MainModule>,
    /// The go.work in effect, if any (GOWORK, else found from `start_dir` upwards).
    pub workspace: Option<Workspace>,
    /// Every main module: the workspace's `use` modules, or just `main`.
    pub main_modules: Vec<MainModule>,
    /// The go.sum files go consults.
    pub sums: SumFiles,
    /// vendor/modules.txt of the workspace or module root, when present.
    pub vendor: Option<ModulesTxt>,
    /// Problems with go.sum, go.work.sum or vendor/modules.txt that do not stop the load.
    pub file_problems: Vec<FileProblem>,
}

impl Project {
    /// The directory the project is reported under: the workspace root or the module root.
    pub fn root_dir(&self) -> &Path {
        match (&self.workspace, &self.main) {
            (Some(ws), _) => ws.path.parent().unwrap_or(Path::new("/")),
            (None, Some(m)) => &m.dir,
            (None, None) => &self.start_dir,
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, ProjectError> {
    read_regular_file(path, limits::TEXT).map_err(|source| ProjectError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// The nearest `name` at or above `start`. Like go, anything that is not a directory counts
/// (a go.work that is a pipe is then refused with a clear error, not silently skipped).
fn find_upwards(start: &Path, name: &str) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(name))
        .find(|p| p.metadata().is_ok_and(|m| !m.is_dir()))
}

fn load_main_module(go_mod_path: &Path) -> Result<MainModule, ProjectError> {
    let data = read(go_mod_path)?;
    let go_mod = parse_go_mod(&go_mod_path.to_string_lossy(), &data, Strictness::Strict)?;
    // The parser accepts a file without a module line (go mod edit does); cmd/go does not.
    if go_mod.module.as_ref().is_none_or(|m| m.path.is_empty()) {
        return Err(ProjectError::NoModuleLine(go_mod_path.to_path_buf()));
    }
    let dir = go_mod_path.parent().unwrap_or(Path::new("/")).to_path_buf();
    Ok(MainModule {
        dir,
        go_mod_path: go_mod_path.to_path_buf(),
        go_mod: Arc::new(go_mod),
    })
}

/// [`load_sum`] with its own list of problems (for a thread of its own).
fn load_sum_alone(path: &Path) -> (Option<(PathBuf, GoSum)>, Vec<FileProblem>) {
    let mut problems = Vec::new();
    let sum = load_sum(path, &mut problems);
    (sum, problems)
}

/// Reads a go.sum if it exists; malformed lines become file problems.
fn load_sum(path: &Path, problems: &mut Vec<FileProblem>) -> Option<(PathBuf, GoSum)> {
    let data = match read_regular_file(path, limits::TEXT) {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            problems.push(FileProblem {
                file: path.display().to_string(),
                line: None,
                message: e.to_string(),
            });
            return None;
        }
    };
    let sum = parse_go_sum(&path.to_string_lossy(), &data);
    problems.extend(sum.problems.iter().map(|p| FileProblem {
        file: p.file.clone(),
        line: Some(p.line),
        message: format!("malformed go.sum: {}", p.message),
    }));
    Some((path.to_path_buf(), sum))
}

/// Loads the project around `start_dir`. `gowork` is the GOWORK setting (`None`/`""`/`auto`:
/// search upwards; `off`: no workspace; otherwise an absolute path).
pub fn load_project(start_dir: &Path, gowork: Option<&str>) -> Result<Project, ProjectError> {
    let start_dir = std::path::absolute(start_dir).unwrap_or_else(|_| start_dir.to_path_buf());
    let mut file_problems = Vec::new();
    let work_path = match gowork.unwrap_or("") {
        "off" => None,
        "" | "auto" => find_upwards(&start_dir, "go.work"),
        p if Path::new(p).is_absolute() => Some(PathBuf::from(p)),
        p => return Err(ProjectError::RelativeGowork(p.to_string())),
    };
    let main_path = find_upwards(&start_dir, "go.mod");
    // Without a workspace the go.sum beside the go.mod is the only one: it is read and parsed
    // on a second thread while the go.mod is parsed (the two are most of a large project's
    // load time, which comes before the inspector's first frame).
    let (main, main_sum) = match (&work_path, main_path) {
        (None, Some(go_mod)) => {
            let sum_path = go_mod.parent().unwrap_or(Path::new("/")).join("go.sum");
            let (module, sum) = std::thread::scope(|s| {
                let sum = std::thread::Builder::new()
                    .spawn_scoped(s, || load_sum_alone(&sum_path))
                    .ok();
                (load_main_module(&go_mod), sum.and_then(|h| h.join().ok()))
            });
            (Some(module?), sum)
        }
        (_, go_mod) => (go_mod.map(|p| load_main_module(&p)).transpose()?, None),
    };

    let (workspace, main_modules, sums) = if let Some(work_path) = work_path {
        let work = parse_go_work(&work_path.to_string_lossy(), &read(&work_path)?)?;
        let base = work_path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let mut modules = Vec::new();
        let mut use_problems = Vec::new();
        let mut used: Vec<(PathBuf, usize, String)> = Vec::new();
        let mut sums = SumFiles::default();
        for u in &work.use_dirs {
            // go compares the lexically cleaned absolute paths (filepath.Abs).
            let dir = clean_path(&base.join(&u.path));
            if let Some((_, first_line, first_path)) = used.iter().find(|(d, _, _)| *d == dir) {
                use_problems.push(UseProblem {
                    path: u.path.clone(),
                    dir,
                    line: u.line,
                    error: UseError::Duplicate {
                        first_line: *first_line,
                        first_path: first_path.clone(),
                    },
                });
                continue;
            }
            used.push((dir.clone(), u.line, u.path.clone()));
            let go_mod_path = dir.join("go.mod");
            // A stat, not an open: a go.mod that is a named pipe must not block the load.
            let usable = std::fs::metadata(&go_mod_path).and_then(|m| {
                if m.is_file() {
                    Ok(())
                } else if m.is_dir() {
                    Err(std::io::Error::from_raw_os_error(21))
                } else {
                    Err(std::io::Error::other("not a regular file"))
                }
            });
            if let Err(e) = usable {
                use_problems.push(UseProblem {
                    path: u.path.clone(),
                    dir: dir.clone(),
                    line: u.line,
                    error: UseError::NoGoMod(os_error_text(&e)),
                });
                continue;
            }
            let module = load_main_module(&go_mod_path)?;
            sums.files
                .extend(load_sum(&dir.join("go.sum"), &mut file_problems));
            modules.push(module);
        }
        let mut work_sum = work_path.clone().into_os_string();
        work_sum.push(".sum");
        sums.files
            .extend(load_sum(Path::new(&work_sum), &mut file_problems));
        (
            Some(Workspace {
                path: work_path,
                work,
                use_problems,
            }),
            modules,
            sums,
        )
    } else {
        let main = main
            .clone()
            .ok_or_else(|| ProjectError::NoGoMod(start_dir.clone()))?;
        let (sum, problems) = main_sum.unwrap_or_else(|| load_sum_alone(&main.dir.join("go.sum")));
        file_problems.extend(problems);
        let mut sums = SumFiles::default();
        sums.files.extend(sum);
        (None, vec![main], sums)
    };

    let vendor_root = match (&workspace, &main) {
        (Some(ws), _) => ws.path.parent().map(Path::to_path_buf),
        (None, Some(m)) => Some(m.dir.clone()),
        _ => None,
    };
    let vendor = vendor_root
        .map(|d| d.join("vendor/modules.txt"))
        .filter(|p| p.exists())
        .and_then(|p| {
            let data = match read_regular_file(&p, limits::TEXT) {
                Ok(d) => d,
                Err(e) => {
                    file_problems.push(FileProblem {
                        file: p.display().to_string(),
                        line: None,
                        message: e.to_string(),
                    });
                    return None;
                }
            };
            let txt = parse_modules_txt(&p.to_string_lossy(), &data);
            file_problems.extend(txt.problems.iter().map(|e| FileProblem {
                file: e.file.clone(),
                line: Some(e.line),
                message: e.message.clone(),
            }));
            Some(txt)
        });

    Ok(Project {
        start_dir,
        main,
        workspace,
        main_modules,
        sums,
        vendor,
        file_problems,
    })
}
