//! The cache view's prune: refused for a version a project uses and while a job may use the
//! cache; confirmed, it runs as a job and its end rescans the cache and the project.

use super::*;

#[test]
fn a_prune_of_a_used_version_is_refused_naming_the_project() {
    let mut s = scanned(80, 24);
    update(&mut s, Msg::MoveDown);
    cache(&mut s, CacheMsg::Expand);
    update(&mut s, Msg::MoveDown);
    cache(&mut s, CacheMsg::Mark);
    assert!(notice(&s).contains("a prune refuses it"), "{}", notice(&s));
    let effects = cache(&mut s, CacheMsg::Prune);
    assert!(super::super::no_work(&effects), "{effects:?}");
    assert!(s.overlay.is_none());
    let n = notice(&s);
    assert!(
        n.contains("refused") && n.contains("example.com/shared@v0.1.0 is used by /work/other"),
        "{n}"
    );
}

#[test]
fn a_prune_is_refused_while_a_job_may_use_the_cache() {
    let mut s = scanned(80, 24);
    cache(&mut s, CacheMsg::Mark);
    let now = s.now;
    let mut task = TaskView::new(
        99,
        JobPurpose::Download(vec!["x".into()]),
        "go mod download -json x@v1".into(),
        now,
    );
    task.apply(
        &JobEvent::Started {
            command_line: String::new(),
        },
        now,
    );
    s.tasks.push(task);
    assert!(super::super::no_work(&cache(&mut s, CacheMsg::Prune)));
    assert!(
        notice(&s).contains("go mod download -json x@v1"),
        "{}",
        notice(&s)
    );
    assert!(s.overlay.is_none());
    // Nothing marked, or a rescan running: refused too.
    s.tasks.clear();
    s.cache.marked.clear();
    cache(&mut s, CacheMsg::Prune);
    assert!(notice(&s).contains("nothing is marked"));
}

#[test]
fn confirming_a_prune_starts_the_job_and_its_end_rescans_the_cache_and_the_project() {
    let mut s = scanned(80, 24);
    cache(&mut s, CacheMsg::Mark);
    assert!(super::super::no_work(&cache(&mut s, CacheMsg::Prune)));
    let Some(Overlay::ConfirmPrune { plan }) = &s.overlay else {
        panic!("{:?}", s.overlay)
    };
    assert_eq!(plan.versions.len(), 1);
    assert_eq!(plan.total.disk, 30 * MIB);
    // n: nothing happens.
    assert!(super::super::no_work(&update(&mut s, Msg::ConfirmNo)));
    assert!(s.overlay.is_none() && notice(&s).contains("nothing was moved"));
    cache(&mut s, CacheMsg::Prune);
    let effects = update(&mut s, Msg::ConfirmYes);
    let [Effect::PruneCache { id, plan }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        (
            plan.versions[0].path.as_str(),
            plan.versions[0].version.as_str()
        ),
        ("example.com/big", "v0.9.0")
    );
    let task = s.task(*id).unwrap();
    assert_eq!(task.purpose, JobPurpose::CachePrune);
    assert!(task.progress_in_bytes);
    let id = *id;
    update(
        &mut s,
        Msg::Job(
            id,
            JobEvent::Started {
                command_line: String::new(),
            },
        ),
    );
    let effects = update(
        &mut s,
        Msg::Job(id, JobEvent::Finished(JobOutcome::Succeeded)),
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::ScanCache { .. })),
        "{effects:?}"
    );
    assert!(effects.contains(&Effect::Scan), "{effects:?}");
    assert!(
        notice(&s).contains("modscope repair --purge-quarantine"),
        "{}",
        notice(&s)
    );
}
