//! `X` in the inspector: a plan is asked for, shown, and only `y` starts the repair; a module a
//! job is using is refused; when the repair ends the module is verified again. `d` on a changed
//! copy says that go would keep it.

use super::*;
use crate::jobs::repair_job::RepairPlan;
use crate::jobs::{JobEvent, JobOutcome};
use crate::tui::app_state::Overlay;
use crate::tui::effect::Effect;
use crate::tui::task_log::JobPurpose;
use gomodcache::analysis::repair_plan::RepairCandidate;

const EDITED: &str = "github.com/google/uuid";

fn plan_for(f: &Fixture) -> RepairPlan {
    let m = f.state.selected_module().unwrap();
    RepairPlan {
        candidate: RepairCandidate {
            path: m.path.clone(),
            version: m.version.clone(),
            cache_path: m.path.clone(),
            cache_version: m.version.clone(),
            faults: m.problems.clone(),
        },
        moves: vec![("/c/tree".into(), "/q/tree".into())],
        cache_root: "/c".into(),
        quarantine_dir: "/q".into(),
        command_line: format!("go mod download -json {}@{}", m.path, m.version),
    }
}

#[test]
fn x_asks_for_a_plan_shows_it_and_y_starts_the_repair_then_a_verify() {
    let mut f = demo_state(120, 40);
    f.select(EDITED);
    let effects = f.send(Msg::Repair);
    assert!(
        matches!(effects.as_slice(), [Effect::PlanRepair { module }] if module.path == EDITED),
        "{effects:?}"
    );
    let plan = plan_for(&f);
    f.send(Msg::RepairPlanned(Box::new(Ok(plan.clone()))));
    assert!(matches!(
        f.state.overlay,
        Some(Overlay::ConfirmRepair { .. })
    ));
    let screen = screen_rows(&f).join("\n");
    assert!(screen.contains(&plan.command_line), "{screen}");
    assert!(screen.contains("  tree"), "{screen}");
    assert!(screen.contains("into /q (kept, not deleted"), "{screen}");

    let effects = f.send(Msg::ConfirmYes);
    let [Effect::Repair { id, candidate }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(candidate.path, EDITED);
    assert!(f.state.overlay.is_none());
    let task = f.state.task(*id).unwrap();
    assert_eq!(task.purpose, JobPurpose::Repair(vec![EDITED.to_string()]));

    // While it runs, X on the same module is refused.
    let again = f.send(Msg::Repair);
    assert!(no_work(&again), "{again:?}");
    assert!(
        f.state
            .notice_text()
            .unwrap()
            .contains("in use by a running job")
    );

    let id = *id;
    f.send(Msg::Job(
        id,
        JobEvent::Started {
            command_line: "repair".into(),
        },
    ));
    let after = f.send(Msg::Job(id, JobEvent::Finished(JobOutcome::Succeeded)));
    assert!(
        after.iter().any(|e| matches!(
            e,
            Effect::Verify { only: Some(paths), .. } if paths == &vec![EDITED.to_string()]
        )),
        "{after:?}"
    );
}

#[test]
fn n_cancels_and_a_plan_that_says_no_is_a_notice() {
    let mut f = demo_state(120, 40);
    f.select(EDITED);
    let plan = plan_for(&f);
    f.send(Msg::RepairPlanned(Box::new(Ok(plan))));
    let effects = f.send(Msg::ConfirmNo);
    assert!(no_work(&effects), "{effects:?}");
    assert!(f.state.overlay.is_none());
    assert_eq!(
        f.state.notice_text(),
        Some("repair cancelled: nothing was moved")
    );

    f.send(Msg::RepairPlanned(Box::new(Err(
        "go.sum is the side".into()
    ))));
    assert!(f.state.overlay.is_none());
    assert_eq!(f.state.notice_text(), Some("go.sum is the side"));
}

#[test]
fn d_on_a_changed_copy_says_go_would_keep_it_and_points_at_repair() {
    let mut f = demo_state(120, 40);
    f.select(EDITED);
    let effects = f.send(Msg::DownloadSelected);
    assert!(no_work(&effects), "no download starts: {effects:?}");
    let notice = f.state.notice_text().unwrap();
    assert!(
        notice.contains("go mod download keeps the changed copy") && notice.contains("X repairs"),
        "{notice}"
    );
    // A module that is only missing is downloaded as before.
    f.select("github.com/sirupsen/logrus");
    let effects = f.send(Msg::DownloadSelected);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::RunGo { .. })),
        "{effects:?}"
    );
}
