//! `Preloaded`: work started before the event loop, handed over once.

use crate::tui::scan::Preloaded;

/// The value, waiting for its thread; `None` once taken, or when the thread failed.
fn take<T: Send + 'static>(preloaded: &Preloaded<T>) -> Option<T> {
    preloaded.take_receiver()?.blocking_recv().ok()
}

#[test]
fn the_value_is_taken_once_and_clones_share_it() {
    let preloaded = Preloaded::spawn(|| 42);
    let other = preloaded.clone();
    assert_eq!(take(&other), Some(42));
    assert_eq!(take(&preloaded), None);
    assert!(preloaded.take_receiver().is_none());
}

#[test]
fn a_thread_that_panics_gives_nothing_instead_of_hanging() {
    let preloaded: Preloaded<u32> = Preloaded::spawn(|| panic!("preload failed on purpose"));
    assert_eq!(take(&preloaded), None);
}

#[test]
fn none_has_nothing_to_take() {
    let preloaded: Preloaded<u32> = Preloaded::none();
    assert!(preloaded.take_receiver().is_none());
    assert_eq!(take(&preloaded), None);
}

#[tokio::test]
async fn the_event_loop_awaits_it_without_a_blocking_thread() {
    let preloaded = Preloaded::spawn(|| "scanned".to_string());
    let receiver = preloaded
        .take_receiver()
        .expect("a receiver the first time");
    assert_eq!(receiver.await.ok().as_deref(), Some("scanned"));
    assert_eq!(take(&preloaded), None);
}
